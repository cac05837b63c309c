// The control room's costs, in one run:
//  - dashboard: a store of 100 slots and 10,000 alerts — time to first frame, render time per
//    update (p50/p95), RSS;
//  - embedded pane: keystroke-to-frame latency while another tmux pane prints 10 MB, and the
//    throughput of `cat` of a ~20 MB file through the pane (pty → emulator → Ink frames) against
//    the same `cat` on a bare `incus exec -t` pty (baseline, same run).
// Run with `npm run bench tui` or `npx tsx bench/tui.ts` (needs the Incus daemon and base image).
import { execFileSync } from 'node:child_process';
import { launchBenchContainer, removeBenchContainer } from './_containers.js';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import pty from 'node-pty';
import { IncusClient } from '../src/incus/client.js';

// React picks its build when first loaded: the UI is imported only after this.
process.env.NODE_ENV ??= 'production';
const { createElement } = await import('react');
const { render } = await import('ink');
const { App, createTuiStore, TerminalController } = await import('../src/ui/index.js');
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
  private waiters: { test: (chunk: string) => boolean; resolve: (at: number) => void }[] = [];
  write = (chunk: string): boolean => {
    const at = performance.now();
    this.writes += 1;
    this.last = chunk;
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
};

function bigStore(): TuiStoreApi {
  const store = createTuiStore();
  const s = store.getState();
  s.setConnection({ state: 'connected' });
  const now = Date.now();
  for (let w = 0; w < 10; w++) {
    for (let n = 1; n <= 10; n++) {
      s.upsertInstance({
        name: `coi-${String(w).padStart(8, 'a')}-${n}`,
        workspace: `/home/dev/project-${w}`,
        slot: n,
        state: n % 7 === 0 ? 'frozen' : 'running',
        frozenByThreat: false,
        tool: 'claude',
        persistent: n % 2 === 0,
        startedAt: now - n * 60_000,
      });
    }
  }
  s.setMetrics(metricsBatch(store, 0));
  const levels = ['info', 'warning', 'high', 'critical'] as const;
  s.addAlerts(
    Array.from({ length: 10_000 }, (_, i) => ({
      id: `a-${i}`,
      time: now - (10_000 - i) * 1000,
      severity: levels[i % 4]!,
      container: `coi-${String(i % 10).padStart(8, 'a')}-${(i % 10) + 1}`,
      slot: (i % 10) + 1,
      workspace: `/home/dev/project-${i % 10}`,
      title: `Connection to suspicious port #${i}`,
      action: 'alerted' as const,
      evidence: { network: { dst_ip: '10.99.0.1', dst_port: 4444 } },
      acknowledged: i % 3 === 0,
    })),
  );
  return store;
}

function metricsBatch(store: TuiStoreApi, tick: number) {
  const batch: Record<string, ReturnType<TuiStoreApi['getState']>['metrics'][string]> = {};
  for (const name of Object.keys(store.getState().instances)) {
    batch[name] = {
      cpuPercent: (tick * 7 + name.length) % 100,
      memoryUsedBytes: (200 + tick) * 1024 * 1024,
      memoryLimitBytes: 4 * 1024 ** 3,
      netRxBytesPerSec: tick * 1000,
      netTxBytesPerSec: tick * 100,
    };
  }
  return batch;
}

/** Ink writes the first frame during render(): wait on `stdout` before mounting. */
function mount(
  element: Parameters<typeof render>[0],
  opts: { debug: boolean; maxFps?: number },
  stdout = new BenchStdout(),
): { stdout: BenchStdout; unmount: () => void } {
  const instance = render(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new BenchStdout() as unknown as NodeJS.WriteStream,
    stdin: new BenchStdin() as unknown as NodeJS.ReadStream,
    debug: opts.debug,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: opts.maxFps ?? 30,
  });
  return { stdout, unmount: () => instance.unmount() };
}

async function dashboard(): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const store = bigStore();
  const firstOut = new BenchStdout();
  const firstWrite = firstOut.next((c) => c.includes('Workspaces'));
  const start = performance.now();
  const first = mount(
    createElement(App, { store, actions: NO_ACTIONS }),
    { debug: false },
    firstOut,
  );
  const firstFrame = (await firstWrite) - start;
  first.unmount();

  // Debug mode renders every update at once (no frame throttle): each sample is one full update.
  const live = mount(createElement(App, { store, actions: NO_ACTIONS, frameMs: 0 }), {
    debug: true,
  });
  const samples: number[] = [];
  const updates: ((i: number) => void)[] = [
    (i) => store.getState().setMetrics(metricsBatch(store, i)),
    (i) =>
      store.getState().addAlerts([
        {
          ...store.getState().alerts[0]!,
          id: `live-${i}`,
          time: Date.now(),
          acknowledged: false,
        },
      ]),
    (i) =>
      store.getState().selectRow(`slot:coi-${String(i % 10).padStart(8, 'a')}-${(i % 10) + 1}`),
    (i) => store.getState().setStatus({ tone: 'info', text: `update ${i}` }),
  ];
  for (let i = 0; i < 400; i++) {
    const frame = live.stdout.next();
    const t0 = performance.now();
    updates[i % updates.length]!(i);
    samples.push((await frame) - t0);
  }
  live.unmount();
  const { rss, heapUsed } = process.memoryUsage();
  console.log(
    `dashboard 100 slots, 10,000 alerts at ${COLS}x${ROWS}: first frame ${ms(firstFrame)} (target < 500 ms), ` +
      `update p50 ${ms(percentile(samples, 0.5))} p95 ${ms(percentile(samples, 0.95))} (target < 16 ms, ${samples.length} updates), ` +
      `RSS ${mb(rss)} (target < 200 MB; ${mb(rssBefore)} before the store, tsx loader included; heap ${mb(heapUsed)})`,
  );
}

const inside = (name: string, script: string) =>
  execFileSync('incus', ['exec', name, '--', 'bash', '-c', script], { encoding: 'utf8' });

const execArgs = (name: string, command: string[]) => ['exec', name, '-t', '--', ...command];

/**
 * The dashboard with a terminal pane that runs `command` in `name`, as `coi tui` draws it (its
 * frame rate, the pane worker started with the room); `attach` attaches it.
 */
async function paneRoom(name: string, command: string[]) {
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
  const app = mount(
    createElement(App, {
      store,
      actions: NO_ACTIONS,
      terminal: controller,
      passthrough: controller.passthrough,
    }),
    { debug: false, maxFps: 60 },
  );
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

async function keystrokeLatency(name: string): Promise<void> {
  inside(
    name,
    `tmux new-session -d -s bench -x ${COLS} -y ${ROWS - 5} 'bash --norc' && tmux split-window -t bench -v 'bash --norc' && tmux select-pane -t bench:0.0`,
  );
  const { controller, app, attach } = await paneRoom(name, ['tmux', 'attach', '-t', 'bench']);
  await attach();
  await sleep(1000);
  inside(
    name,
    `tmux send-keys -t bench:0.1 'head -c 7500000 /dev/urandom | base64 -w 150; echo FLOOD-""DONE' Enter`,
  );
  const samples: number[] = [];
  let during = 0;
  for (let i = 0; samples.length < 40; i++) {
    const marker = `#k${i}q`;
    const frame = app.stdout.next((c) => c.includes(marker));
    const t0 = performance.now();
    controller.passthrough(marker);
    samples.push((await frame) - t0);
    if (!app.stdout.last.includes('FLOOD-DONE')) during += 1;
    controller.passthrough('\x15'); // clear the line for the next marker
    await sleep(30);
  }
  controller.dispose();
  app.unmount();
  console.log(
    `pane keystroke-to-frame while another pane prints 10 MB: p50 ${ms(percentile(samples, 0.5))} ` +
      `p95 ${ms(percentile(samples, 0.95))} (target < 30 ms) max ${ms(Math.max(...samples))} ` +
      `(${samples.length} keys, ${during} while the flood ran)`,
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

async function embeddedPane(name: string): Promise<number> {
  const { ended, app, controller, attach } = await paneRoom(name, ['cat', '/root/big.txt']);
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
  let received = 0;
  for (let round = 0; round < 3; round++) {
    const b = await barePty(name);
    bare.push(b.ms);
    received = b.bytes;
    embedded.push(await embeddedPane(name));
  }
  const b = percentile(bare, 0.5);
  const e = percentile(embedded, 0.5);
  console.log(
    `cat of ${mb(size)} (median of 3): bare incus exec -t pty ${ms(b)} (${mb((size / b) * 1000)}/s, ${mb(received)} read), ` +
      `embedded pane ${ms(e)} (${mb((size / e) * 1000)}/s) → ${(e / b).toFixed(2)}x the bare pty (target ≤ 1.3x)`,
  );
}

export async function run(): Promise<void> {
  await dashboard();
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
  } finally {
    await removeBenchContainer(client, name);
    await client.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
  process.exit(0);
}
