// Thirty slots on one host, as an operator runs them: 30 `coi shell --background` across three
// workspaces (the compiled CLI, the test image), then `coi tui` on a real pty: 30 attach/detach
// cycles across different slots (attach time, keystroke-to-frame), then the room's idle CPU over
// 30 s and its RSS. Everything is deleted at the end, on failure too. (A boot that runs out of
// inotify instances is not staged here: Incus does not start a container whose own limit is
// lowered far enough; bootLimitHint's unit tests cover the message.)
// Needs `npm run build`, the Incus daemon and coi-test-default; run it under the test flock:
//   flock /tmp/coi-incus-test.lock npx tsx bench/tui-slots.ts
// COI_BENCH_CPU_PROF=<dir> runs the room with `node --cpu-prof` (the profile is written on `q`).
import xterm from '@xterm/headless';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pty from 'node-pty';
import { IncusClient } from '../src/incus/client.js';
import { InstancesApi } from '../src/incus/instances.js';
import { ask } from '../src/security/monitor/singleton.js';
import { monitorPaths } from '../src/security/monitor/paths.js';
import { containerName } from '../src/shared/naming.js';
import { removeBenchContainer } from './_containers.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'coi.js');
const IMAGE = 'coi-test-default';
const WORKSPACES = 3;
const SLOTS_PER_WORKSPACE = 10;
const PARALLEL_LAUNCHES = 5;
const CYCLES = 30;
const KEYS_PER_ATTACH = 3;
const IDLE_SECONDS = 30;
const COLS = 160;
const ROWS = 45;
const DETACH = '\x11';

const run$ = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (n: number) => `${n.toFixed(0)} ms`;

function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const spread = (xs: number[]) =>
  `p50 ${ms(percentile(xs, 0.5))} p95 ${ms(percentile(xs, 0.95))} max ${ms(Math.max(...xs))}`;

/** A throw-away HOME (its config starts slots from the test image) and three workspaces. */
class Sandbox {
  readonly root = mkdtempSync(join(tmpdir(), 'coi-bench-slots-'));
  readonly home = join(this.root, 'home');
  readonly prefix = `coi-test-slots-${randomBytes(2).toString('hex')}-`;
  readonly workspaces = Array.from({ length: WORKSPACES }, (_, i) => join(this.root, `ws${i + 1}`));

  constructor() {
    mkdirSync(join(this.home, '.coi'), { recursive: true });
    writeFileSync(
      join(this.home, '.coi', 'config.toml'),
      `[container]\nimage = "${IMAGE}"\n\n[tool]\nname = "claude"\nbinary = "coi-standin"\n`,
    );
    for (const ws of this.workspaces) mkdirSync(ws);
  }

  get env(): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, HOME: this.home, COI_CONTAINER_PREFIX: this.prefix };
  }

  async launch(workspace: string, slot: number): Promise<{ ms: number; error?: string }> {
    const start = performance.now();
    try {
      await run$(process.execPath, [BIN, 'shell', '--background', '--slot', String(slot)], {
        cwd: workspace,
        env: this.env,
        timeout: 180_000,
      });
      return { ms: performance.now() - start };
    } catch (err) {
      const { stderr, message } = err as { stderr?: string; message: string };
      return { ms: performance.now() - start, error: (stderr || message).trim() };
    }
  }

  /** Every container of the prefix, the monitor daemon and the directory: gone. */
  async remove(client: IncusClient): Promise<void> {
    const instances = new InstancesApi(client);
    const left = (await instances.list()).filter((i) => i.name.startsWith(this.prefix));
    await Promise.all(left.map((i) => removeBenchContainer(client, i.name).catch(() => {})));
    const status = await ask(monitorPaths(join(this.home, '.coi')).socket, 'status');
    if (status) process.kill((JSON.parse(status) as { pid: number }).pid, 'SIGTERM');
    try {
      execFileSync('chattr', ['-R', '-i', this.root], { stdio: 'ignore' });
    } catch {
      // chattr exits non-zero on entries without the attribute (sockets): harmless.
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Runs `jobs` with at most `width` at a time. */
async function pooled<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) results[i] = await jobs[i]!();
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/**
 * `coi tui` on a real pty: its screen in a headless xterm, and the raw output kept briefly so a
 * frame's arrival is timed by the bytes themselves (not by this side's emulator).
 */
class Room {
  readonly term = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  readonly child: pty.IPty;
  private tail = '';
  private waiters: { text: string; resolve: (at: number) => void }[] = [];

  constructor(sandbox: Sandbox) {
    const profile = process.env.COI_BENCH_CPU_PROF;
    const node = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
    this.child = pty.spawn(process.execPath, [...node, BIN, 'tui'], {
      name: 'xterm-256color',
      cols: COLS,
      rows: ROWS,
      cwd: sandbox.workspaces[0],
      env: { ...sandbox.env, TERM: 'xterm-256color' },
    });
    this.child.onData((data) => {
      const at = performance.now();
      this.term.write(data);
      this.tail = (this.tail + data).slice(-8192);
      this.waiters = this.waiters.filter((w) => {
        if (!this.tail.includes(w.text)) return true;
        w.resolve(at);
        return false;
      });
    });
  }

  /** Resolves with the time the output first carries `text` (from now on). */
  output(text: string): Promise<number> {
    this.tail = '';
    return new Promise((resolve) => this.waiters.push({ text, resolve }));
  }

  screen(): string {
    const buffer = this.term.buffer.active;
    return Array.from({ length: ROWS }, (_, y) =>
      (buffer.getLine(y)?.translateToString(true) ?? '').trimEnd(),
    ).join('\n');
  }

  async showing(check: (screen: string) => boolean, what: string, timeoutMs = 20_000) {
    const end = Date.now() + timeoutMs;
    while (!check(this.screen())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${this.screen()}`);
      await sleep(20);
    }
    return this.screen();
  }

  /** Quits with `q` (a profile is written then); killed if it is still there after 10 s. */
  async quit(): Promise<void> {
    const exited = new Promise<boolean>((resolve) => this.child.onExit(() => resolve(true)));
    this.child.write('q');
    if (!(await Promise.race([exited, sleep(10_000).then(() => false)]))) this.child.kill();
  }

  /** CPU seconds (user + system, every thread) and RSS of the room's process. */
  usage(): { cpu: number; rss: number } {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return { cpu: ticks / 100, rss: rssKb * 1024 };
  }
}

/** The slot attached, from the pane's title row (`─ <name> ─…`). */
const attachedName = (screen: string, prefix: string) =>
  new RegExp(`─ (${prefix}[0-9a-f]+-\\d+) `).exec(screen)?.[1];

async function cycles(room: Room, sandbox: Sandbox) {
  const attachMs: number[] = [];
  const keyMs: number[] = [];
  const seen = new Set<string>();
  for (let cycle = 0; seen.size < CYCLES && cycle < CYCLES * 3; cycle++) {
    room.child.write('j');
    await sleep(50);
    const t0 = performance.now();
    room.child.write('a');
    let name: string | undefined;
    const end = Date.now() + 15_000;
    while (!(name = attachedName(room.screen(), sandbox.prefix)) && Date.now() < end) {
      await sleep(5);
    }
    // A workspace row (nothing to attach): move on.
    if (!name) continue;
    attachMs.push(performance.now() - t0);
    seen.add(name);
    await room.showing((s) => s.includes('standin'), `the stand-in in ${name}`);
    for (let k = 0; k < KEYS_PER_ATTACH; k++) {
      const marker = `#k${cycle}x${k}q`;
      const frame = room.output(marker);
      const t1 = performance.now();
      room.child.write(marker);
      keyMs.push((await frame) - t1);
      room.child.write('\x15');
      await sleep(30);
    }
    room.child.write(DETACH);
    await room.showing((s) => !attachedName(s, sandbox.prefix), 'the detach');
  }
  return { attachMs, keyMs, slots: seen.size };
}

export async function run(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    console.log('thirty slots: skipped, run `npm run build` first');
    return;
  }
  const client = IncusClient.local();
  const sandbox = new Sandbox();
  let room: Room | undefined;
  const cleanup = async () => {
    room?.child.kill();
    await sandbox.remove(client);
    await client.close();
  };
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const start = performance.now();
    const launches = await pooled(
      sandbox.workspaces.flatMap((ws) =>
        Array.from({ length: SLOTS_PER_WORKSPACE }, (_, i) => () => sandbox.launch(ws, i + 1)),
      ),
      PARALLEL_LAUNCHES,
    );
    const failed = launches.filter((l) => l.error);
    console.log(
      `${launches.length} × coi shell --background across ${WORKSPACES} workspaces (${PARALLEL_LAUNCHES} at a time): ` +
        `${((performance.now() - start) / 1000).toFixed(0)} s, each ${spread(launches.map((l) => l.ms))}, ` +
        `${failed.length} failed${failed.length ? `; first: ${failed[0]!.error}` : ''}`,
    );
    const running = sandbox.workspaces.flatMap((ws) =>
      Array.from({ length: SLOTS_PER_WORKSPACE }, (_, i) =>
        containerName(ws, i + 1, sandbox.prefix),
      ),
    );

    room = new Room(sandbox);
    const t0 = performance.now();
    await room.showing(
      (s) => s.includes(`${WORKSPACES} ws ${running.length} slots`),
      'the room listing every slot',
      60_000,
    );
    const firstFrame = performance.now() - t0;
    const c = await cycles(room, sandbox);
    console.log(
      `coi tui with ${running.length} slots: all listed after ${ms(firstFrame)}; ${c.slots} slots attached in turn ` +
        `(attach ${spread(c.attachMs)}); keystroke-to-frame ${spread(c.keyMs)} over ${c.keyMs.length} keys (target p95 < 30 ms)`,
    );

    await sleep(5000);
    const before = room.usage();
    await sleep(IDLE_SECONDS * 1000);
    const after = room.usage();
    const cpu = ((after.cpu - before.cpu) / IDLE_SECONDS) * 100;
    console.log(
      `room idle with ${running.length} slots: ${cpu.toFixed(1)} % of a core over ${IDLE_SECONDS} s (target < 2 %), ` +
        `RSS ${(after.rss / 1024 / 1024).toFixed(0)} MB`,
    );
    await room.quit();
    room = undefined;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanup();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
  process.exit(0);
}
