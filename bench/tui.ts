// The control room's costs, in one run:
//  - dashboard: a store of 100 slots and 10,000 alerts — time to first frame, render time per
//    update (p50/p95), RSS;
//  - embedded pane: keystroke-to-frame latency while another tmux pane prints 10 MB (against the
//    same typing on a bare `incus exec -t` pty: tmux's own latency), and the throughput of `cat`
//    of a ~20 MB file through the pane (pty → emulator → frames) against the same `cat` on a bare
//    `incus exec -t` pty (baseline, same run); both with the pane's rows written by the
//    hot-region writer (coi tui) and, for comparison, through Ink's frame (before).
// 30 running slots and the room's idle CPU are bench/tui-slots.ts.
// Run with `npm run bench tui` or `npx tsx bench/tui.ts` (needs the Incus daemon and base image).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { launchBenchContainer, removeBenchContainer } from './_containers.js';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import pty from 'node-pty';
import { IncusClient } from '../src/incus/client.js';

// React picks its build when first loaded: the UI is imported only after this.
process.env.NODE_ENV ??= 'production';
// Ink styles through chalk, which writes no escape codes when stdout is not a terminal (a bench
// piped to a file): forced on, so Ink's frames carry the styles a terminal gets.
process.env.FORCE_COLOR ??= '1';
const { createElement } = await import('react');
const { render } = await import('ink');
const { App, createTuiStore, HotRegionWriter, TerminalController } =
  await import('../src/ui/index.js');
const { tableWindow } = await import('./_tui-tables.js');
const fixture = await import('./_tui-fixture.mjs');
const { ALERTS, slotName } = fixture;
const bigStore = (workspaces: number, slots: number) =>
  fixture.bigStore(createTuiStore, workspaces, slots);
const metricsBatch = fixture.metricsBatch;
type TuiStoreApi = ReturnType<typeof createTuiStore>;

const COLS = 120;
const ROWS = 40;

/** A terminal-sized sink for Ink's output that lets the bench wait for a frame. */
class BenchStdout extends EventEmitter {
  readonly isTTY = true;
  columns = COLS;
  rows = ROWS;
  writes = 0;
  last = '';
  lastAt = 0;
  private waiters: { test: (chunk: string) => boolean; resolve: (at: number) => void }[] = [];
  write = (chunk: string): boolean => {
    const at = performance.now();
    this.writes += 1;
    this.last = chunk;
    this.lastAt = at;
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(chunk)) return true;
      w.resolve(at);
      return false;
    });
    return true;
  };
  /** Resolves with the time of the next write that passes `test`. */
  next(test: (chunk: string) => boolean = () => true): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}

class BenchStdin extends EventEmitter {
  readonly isTTY = true;
  read = () => null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

const NO_ACTIONS = {
  attach: async () => {},
  pause: async () => {},
  resume: async () => {},
  kill: async () => {},
  snapshot: async () => 'snap',
  newSlot: async () => 'slot',
  slotImage: async () => ({ image: 'coi-default', missing: false, buildable: true, estimate: '' }),
  buildImage: async () => 'coi-default',
  shutdown: async () => {},
  ack: async () => {},
  watchSlotView: () => () => {},
  killProcess: async () => {},
  restoreSnapshot: async () => {},
  deleteSnapshot: async () => {},
  changeAllowlist: async () => '',
};

/**
 * The room as `coi tui` runs it (Ink not in debug mode, so its line diff and the writer's run),
 * with Ink's frame throttle shortened to 1 ms: a sample is one update's cost, not the throttle.
 */
function mountRoom(store: TuiStoreApi, hot: boolean, stdout = new BenchStdout()) {
  const writer = hot ? new HotRegionWriter(stdout as unknown as NodeJS.WriteStream) : undefined;
  const inkSteps: number[] = [];
  const instance = render(
    createElement(App, { store, actions: NO_ACTIONS, frameMs: 0, hotRegion: writer }),
    {
      stdout: writer?.stream ?? (stdout as unknown as NodeJS.WriteStream),
      stderr: new BenchStdout() as unknown as NodeJS.WriteStream,
      stdin: new BenchStdin() as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 1000,
      onRender: ({ renderTime }) => inkSteps.push(renderTime),
    },
  );
  return { stdout, inkSteps, unmount: () => instance.unmount() };
}

/** An update's writes (React commit, Ink's frame, the writer's flush) end within one macrotask. */
async function updateCost(stdout: BenchStdout, t0: number): Promise<number> {
  const wrote = await Promise.race([stdout.next().then(() => true), sleep(1000).then(() => false)]);
  await new Promise((r) => setImmediate(r));
  return wrote ? stdout.lastAt - t0 : NaN;
}

interface RoomFigures {
  firstFrame: number;
  updates: number[];
  inkSteps: number[];
}

async function roomFigures(workspaces: number, slots: number, hot: boolean): Promise<RoomFigures> {
  const store = bigStore(workspaces, slots);
  const firstOut = new BenchStdout();
  const firstRow = firstOut.next((c) => c.includes(slotName(0, 1)));
  const start = performance.now();
  const first = mountRoom(store, hot, firstOut);
  const firstFrame = (await firstRow) - start;
  first.unmount();

  const live = mountRoom(store, hot);
  await sleep(50);
  const s = () => store.getState();
  const updates: ((i: number) => void)[] = [
    (i) => s().setMetrics(metricsBatch(store, i + 1)),
    (i) =>
      s().addAlerts([
        { ...s().alerts[0]!, id: `live-${i}`, time: Date.now(), acknowledged: false },
      ]),
    (i) => s().selectRow(`slot:${slotName(i % workspaces, (i % slots) + 1)}`),
    (i) => s().setStatus({ tone: 'info', text: `update ${i}` }),
  ];
  const samples: number[] = [];
  const stepsBefore = live.inkSteps.length;
  for (let i = 0; i < 400; i++) {
    const t0 = performance.now();
    updates[i % updates.length]!(i);
    samples.push(await updateCost(live.stdout, t0));
    await sleep(2); // past Ink's 1 ms throttle, so the next frame is drawn at once
  }
  const inkSteps = live.inkSteps.slice(stepsBefore);
  live.unmount();
  return { firstFrame, updates: samples.filter((n) => !Number.isNaN(n)), inkSteps };
}

const spread = (xs: number[]) =>
  `p50 ${ms(percentile(xs, 0.5))} p95 ${ms(percentile(xs, 0.95))} p99 ${ms(percentile(xs, 0.99))}`;

async function dashboardAt(workspaces: number, slots: number, targets: string): Promise<void> {
  const hot = await roomFigures(workspaces, slots, true);
  const ink = await roomFigures(workspaces, slots, false);
  const ratio = (q: number) => (percentile(hot.updates, q) / percentile(ink.updates, q)).toFixed(2);
  const line = (name: string, f: RoomFigures) =>
    `  ${name}: first frame ${ms(f.firstFrame)}, update ${spread(f.updates)} ` +
    `(${f.updates.length} updates; Ink's own output step p50 ${ms(percentile(f.inkSteps, 0.5))})`;
  console.log(
    [
      `dashboard ${workspaces * slots} slots, ${ALERTS.toLocaleString('en')} alerts at ${COLS}x${ROWS} (metrics tick, new alert, selection, status line in turn):`,
      line('hot-region writer (coi tui)', hot),
      line('baseline: Ink draws the whole frame', ink),
      `  → p50 ${ratio(0.5)}x p95 ${ratio(0.95)}x p99 ${ratio(0.99)}x the baseline (targets: ${targets})`,
    ].join('\n'),
  );
}

/** RSS as `coi tui` runs it: a plain-node child on the compiled dist/ (see _tui-rss.mjs). */
function roomRss(): string {
  const dist = new URL('../dist/ui/index.js', import.meta.url);
  if (!existsSync(dist)) return 'RSS as coi tui runs it: skipped, run `npm run build` first';
  const child = new URL('./_tui-rss.mjs', import.meta.url).pathname;
  const f = JSON.parse(
    execFileSync(process.execPath, ['--expose-gc', child], { encoding: 'utf8' }),
  ) as Record<string, number>;
  return (
    `RSS as coi tui runs it (plain node on dist/): ${mb(f.attached!)} with 100 slots, ` +
    `${ALERTS.toLocaleString('en')} alerts, 200 frames drawn and one attached pane (target < 150 MB; ` +
    `node alone ${mb(f.node!)}, + modules ${mb(f.modules!)}, + store ${mb(f.store!)}, ` +
    `+ 200 frames ${mb(f.drawn!)}; store's heap after GC ${mb(f.storeHeap!)})`
  );
}

async function dashboard(): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  await dashboardAt(1, 10, 'p95 < 8 ms');
  await dashboardAt(10, 10, 'p95 < 16 ms, p99 < 33 ms, first frame < 300 ms');
  const { rss, heapUsed } = process.memoryUsage();
  console.log(
    `  bench process RSS ${mb(rss)} after both sizes (${mb(rssBefore)} before any store, ` +
      `tsx loader included; heap ${mb(heapUsed)})\n  ${roomRss()}`,
  );
}

const inside = (name: string, script: string) =>
  execFileSync('incus', ['exec', name, '--', 'bash', '-c', script], { encoding: 'utf8' });

const execArgs = (name: string, command: string[]) => ['exec', name, '-t', '--', ...command];

/** How the pane's rows reach the terminal: the hot-region writer (coi tui) or Ink's frame. */
type PaneDraw = 'writer' | 'ink';

/**
 * The dashboard with a terminal pane that runs `command` in `name`, as `coi tui` draws it (its
 * frame rate, the pane worker started with the room, the hot-region writer unless `draw` is
 * 'ink', the way the pane was drawn before it had the writer); `attach` attaches it.
 */
async function paneRoom(name: string, command: string[], draw: PaneDraw = 'writer') {
  const store = createTuiStore();
  store.getState().setConnection({ state: 'connected' });
  const controller = new TerminalController({
    store,
    command: async () => ({
      file: 'incus',
      args: execArgs(name, command),
      env: { ...process.env, TERM: 'xterm-256color' },
    }),
    writeTerminal: () => {},
  });
  const stdout = new BenchStdout();
  const writer =
    draw === 'writer' ? new HotRegionWriter(stdout as unknown as NodeJS.WriteStream) : undefined;
  const instance = render(
    createElement(App, {
      store,
      actions: NO_ACTIONS,
      terminal: controller,
      passthrough: controller.passthrough,
      hotRegion: writer,
    }),
    {
      stdout: writer?.stream ?? (stdout as unknown as NodeJS.WriteStream),
      stderr: new BenchStdout() as unknown as NodeJS.WriteStream,
      stdin: new BenchStdin() as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 60,
    },
  );
  const app = { stdout, unmount: () => instance.unmount() };
  const ended = new Promise<void>((resolve) =>
    store.subscribe((s) => {
      if (s.status?.text.includes('ended')) resolve();
    }),
  );
  await controller.ready();
  const attach = async () => {
    await controller.attach(name);
    store.getState().setAttached(name);
  };
  return { store, controller, app, ended, attach };
}

const FLOOD = `head -c 7500000 /dev/urandom | base64 -w 150; echo FLOOD-""DONE`;
const KEYS = 40;

/**
 * Types KEYS markers (each cleared with ^U) while tmux's other pane floods; `shown` resolves with
 * the time the output carrying a marker was written. Returns the latencies and how many keys
 * came before the flood ended.
 */
async function typeDuringFlood(
  name: string,
  type: (bytes: string) => void,
  shown: (marker: string) => Promise<number>,
  flooding: () => boolean,
) {
  inside(name, `tmux send-keys -t bench:0.1 '${FLOOD}' Enter`);
  const samples: number[] = [];
  let during = 0;
  for (let i = 0; samples.length < KEYS; i++) {
    const marker = `#k${i}q`;
    const frame = shown(marker);
    const t0 = performance.now();
    type(marker);
    samples.push((await frame) - t0);
    if (flooding()) during += 1;
    type('\x15'); // clear the line for the next marker
    await sleep(30);
  }
  inside(name, 'tmux send-keys -t bench:0.1 C-c');
  await sleep(500);
  return { samples, during };
}

/** The same typing on a bare `incus exec -t … tmux attach` pty: the latency of tmux itself. */
async function bareKeystrokes(name: string) {
  const child = pty.spawn('incus', execArgs(name, ['tmux', 'attach', '-t', 'bench']), {
    name: 'xterm-256color',
    cols: COLS,
    rows: ROWS - 5,
    env: { ...process.env, TERM: 'xterm-256color' },
  });
  let tail = '';
  let waiter: { marker: string; resolve: (at: number) => void } | undefined;
  child.onData((data) => {
    tail = (tail + data).slice(-8192);
    if (waiter && tail.includes(waiter.marker)) {
      waiter.resolve(performance.now());
      waiter = undefined;
    }
  });
  await sleep(1000);
  const result = await typeDuringFlood(
    name,
    (bytes) => child.write(bytes),
    (marker) => {
      tail = '';
      return new Promise((resolve) => (waiter = { marker, resolve }));
    },
    () => !tail.includes('FLOOD-DONE'),
  );
  child.kill();
  return result;
}

async function paneKeystrokes(name: string, draw: PaneDraw) {
  const { controller, app, attach } = await paneRoom(name, ['tmux', 'attach', '-t', 'bench'], draw);
  await attach();
  await sleep(1000);
  const result = await typeDuringFlood(
    name,
    (bytes) => controller.passthrough(bytes),
    (marker) => app.stdout.next((c) => c.includes(marker)),
    () => !app.stdout.last.includes('FLOOD-DONE'),
  );
  controller.dispose();
  app.unmount();
  return result;
}

async function keystrokeLatency(name: string): Promise<void> {
  inside(
    name,
    `tmux new-session -d -s bench -x ${COLS} -y ${ROWS - 5} 'bash --norc' && tmux split-window -t bench -v 'bash --norc' && tmux select-pane -t bench:0.0`,
  );
  const line = (what: string, r: { samples: number[]; during: number }) =>
    `  ${what}: ${spread(r.samples)} max ${ms(Math.max(...r.samples))} (${r.during} of ${KEYS} keys while the flood ran)`;
  const bare = await bareKeystrokes(name);
  const writer = await paneKeystrokes(name, 'writer');
  const ink = await paneKeystrokes(name, 'ink');
  console.log(
    [
      'keystroke-to-frame while the other tmux pane prints 10 MB (target p95 < 30 ms):',
      line('pane, rows through the hot-region writer (coi tui)', writer),
      line('pane, rows through Ink (before)', ink),
      line('baseline: bare incus exec -t pty on the same tmux', bare),
      `  → p95 ${(percentile(writer.samples, 0.95) / percentile(bare.samples, 0.95)).toFixed(2)}x the bare pty's (Ink: ${(percentile(ink.samples, 0.95) / percentile(bare.samples, 0.95)).toFixed(2)}x)`,
    ].join('\n'),
  );
}

async function barePty(name: string): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const child = pty.spawn('incus', execArgs(name, ['cat', '/root/big.txt']), {
    name: 'xterm-256color',
    cols: COLS,
    rows: ROWS - 4,
    env: { ...process.env, TERM: 'xterm-256color' },
    encoding: null,
  });
  let bytes = 0;
  child.onData((d) => (bytes += (d as unknown as Buffer).length));
  await new Promise<void>((resolve) => child.onExit(() => resolve()));
  return { ms: performance.now() - start, bytes };
}

async function embeddedPane(name: string, draw: PaneDraw): Promise<number> {
  const { ended, app, controller, attach } = await paneRoom(name, ['cat', '/root/big.txt'], draw);
  const start = performance.now();
  await attach();
  await ended;
  const elapsed = performance.now() - start;
  controller.dispose();
  app.unmount();
  return elapsed;
}

async function throughput(name: string): Promise<void> {
  const size = Number(
    inside(
      name,
      'head -c 14800000 /dev/urandom | base64 -w 100 > /root/big.txt; stat -c %s /root/big.txt',
    ),
  );
  const bare: number[] = [];
  const embedded: number[] = [];
  const throughInk: number[] = [];
  let received = 0;
  for (let round = 0; round < 3; round++) {
    const b = await barePty(name);
    bare.push(b.ms);
    received = b.bytes;
    embedded.push(await embeddedPane(name, 'writer'));
    throughInk.push(await embeddedPane(name, 'ink'));
  }
  const b = percentile(bare, 0.5);
  const e = percentile(embedded, 0.5);
  const i = percentile(throughInk, 0.5);
  console.log(
    `cat of ${mb(size)} (median of 3): bare incus exec -t pty ${ms(b)} (${mb((size / b) * 1000)}/s, ${mb(received)} read), ` +
      `embedded pane ${ms(e)} (${mb((size / e) * 1000)}/s) → ${(e / b).toFixed(2)}x the bare pty (target ≤ 1.3x; ` +
      `pane rows through Ink, as before: ${ms(i)}, ${(i / b).toFixed(2)}x)`,
  );
}

export async function run(): Promise<void> {
  await dashboard();
  await tableWindow();
  if (process.env.COI_BENCH_TUI_DASHBOARD_ONLY) return;
  const client = IncusClient.local();
  const name = `coi-test-bench-tui-${randomBytes(3).toString('hex')}`;
  await launchBenchContainer(client, name);
  try {
    // Processes started while the container still boots may be cleaned up by its init.
    inside(
      name,
      'for i in $(seq 60); do case "$(systemctl is-system-running 2>/dev/null)" in running|degraded) exit 0;; esac; sleep 0.5; done',
    );
    await keystrokeLatency(name);
    await throughput(name);
    console.log(
      `RSS after the dashboard and the attached panes: ${mb(process.memoryUsage().rss)} (target < 150 MB)`,
    );
  } finally {
    await removeBenchContainer(client, name);
    await client.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
  process.exit(0);
}
