// `coi run true` from a cold slot against the raw Incus calls it needs, in one run:
//   raw      create+start from the same image, exec `true`, force-stop, delete
//   raw+net  the same, but `true` runs once eth0 has an address
//   raw+boot the same, once eth0 has an address and systemd has booted (what coi run waits for)
//   coi      `node bin/coi.js run true` as a child process (includes Node's start-up)
//   coi-in   the same command through the CLI entry point inside this process
// Run with `npm run bench launch` or `npx tsx bench/launch.ts` (needs a built dist/).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { forceDelete } from '../src/core/container/force-delete.js';
import { baseImageAlias } from '../src/core/image/recipe.js';
import { Incus } from '../src/incus/index.js';

const ROUNDS = 5;
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'coi.js');
const WAIT_FOR_NETWORK = 'until ip -4 -o addr show dev eth0 | grep -q inet; do sleep 0.05; done';
const WAIT_FOR_BOOT =
  'until s=$(systemctl is-system-running); [ "$s" = running ] || [ "$s" = degraded ]; do sleep 0.05; done';

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function rawSequence(incus: Incus, name: string, command: string[]): Promise<void> {
  await (
    await incus.instances.create({ name, image: { alias: baseImageAlias() }, start: true })
  ).wait();
  const result = await incus.exec.run(name, command);
  if (result.exitCode !== 0) throw new Error(`raw exec failed: ${result.stderr.toString()}`);
  await (await incus.instances.stop(name, { force: true })).wait();
  await (await incus.instances.delete(name)).wait();
}

export async function run(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run -s build` first (or `npm run bench launch`)');
  }
  const tag = randomBytes(3).toString('hex');
  const prefix = `coi-bench-${tag}-`;
  const root = mkdtempSync(join(tmpdir(), 'coi-bench-launch-'));
  const home = join(root, 'home');
  const workspace = join(root, 'project');
  mkdirSync(join(home, '.coi'), { recursive: true });
  mkdirSync(workspace);
  chownSync(workspace, 1000, 1000);
  writeFileSync(join(home, '.coi', 'config.toml'), '');
  const env = { ...process.env, HOME: home, COI_CONTAINER_PREFIX: prefix };
  const { main } = (await import(pathToFileURL(join(ROOT, 'dist', 'cli', 'main.js')).href)) as {
    main: (argv: string[]) => Promise<number>;
  };
  const incus = Incus.local();
  const samples: Record<'raw' | 'rawNet' | 'rawBoot' | 'coi' | 'coiIn', number[]> = {
    raw: [],
    rawNet: [],
    rawBoot: [],
    coi: [],
    coiIn: [],
  };

  const coiChild = () => {
    const r = spawnSync(process.execPath, [BIN, 'run', '-w', workspace, 'true'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (r.status !== 0) throw new Error(`coi run true failed: ${r.stderr.toString()}`);
  };
  const coiInProcess = async () => {
    const saved = { home: process.env.HOME, prefix: process.env.COI_CONTAINER_PREFIX };
    process.env.HOME = home;
    process.env.COI_CONTAINER_PREFIX = prefix;
    try {
      const code = await main(['node', 'coi', 'run', '-w', workspace, 'true']);
      if (code !== 0) throw new Error(`coi run true (in process) exited ${code}`);
    } finally {
      process.env.HOME = saved.home;
      if (saved.prefix === undefined) delete process.env.COI_CONTAINER_PREFIX;
      else process.env.COI_CONTAINER_PREFIX = saved.prefix;
      process.exitCode = 0;
    }
  };

  try {
    // One warm-up of each, then alternate so load on the machine hits all alike.
    for (let round = 0; round <= ROUNDS; round++) {
      const raw = await timed(() => rawSequence(incus, `${prefix}raw`, ['true']));
      const rawNet = await timed(() =>
        rawSequence(incus, `${prefix}rawnet`, ['sh', '-c', `${WAIT_FOR_NETWORK}; true`]),
      );
      const rawBoot = await timed(() =>
        rawSequence(incus, `${prefix}rawboot`, [
          'sh',
          '-c',
          `${WAIT_FOR_NETWORK}; ${WAIT_FOR_BOOT}; true`,
        ]),
      );
      const coi = await timed(coiChild);
      const coiIn = await timed(coiInProcess);
      if (round === 0) continue;
      samples.raw.push(raw);
      samples.rawNet.push(rawNet);
      samples.rawBoot.push(rawBoot);
      samples.coi.push(coi);
      samples.coiIn.push(coiIn);
    }
  } finally {
    for (const name of (await incus.instances.names()).filter((n) => n.startsWith(prefix))) {
      await (await forceDelete(incus, name)).wait().catch(() => undefined);
    }
    await incus.close();
    spawnSync('chattr', ['-R', '-i', root]);
    rmSync(root, { recursive: true, force: true });
  }

  const raw = median(samples.raw);
  const line = (label: string, ms: number) =>
    console.log(
      `${label.padEnd(44)} median ${ms.toFixed(0).padStart(5)} ms  ${(ms / raw).toFixed(2)}x raw`,
    );
  console.log(`${ROUNDS} rounds, medians; ratio against the raw Incus sequence`);
  line('raw: create+start, exec true, stop, delete', raw);
  line('raw+net: exec waits for eth0 IPv4 first', median(samples.rawNet));
  line('raw+boot: exec waits for IPv4 and systemd', median(samples.rawBoot));
  line('coi run true (child process, node start-up)', median(samples.coi));
  line('coi run true (CLI entry in this process)', median(samples.coiIn));
  const boot = median(samples.rawBoot);
  console.log(
    `coi run over raw+boot (the same readiness): child ${(median(samples.coi) / boot).toFixed(2)}x, ` +
      `in-process ${(median(samples.coiIn) / boot).toFixed(2)}x`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
  process.exit(0);
}
