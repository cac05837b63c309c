// Containment of the attack corpus (test/integration/security/attack-corpus-table.ts) by the host
// monitor, per class: detection rate and p50/p95 from the attack's first action to Incus reporting
// the container frozen or stopped (see _containment-trials.ts) and to the responder's cgroup
// freeze, with where each class's time went, beside the raw freeze API call measured in the same
// run. Then the daemon's CPU with 10 idle monitored containers and while one
// runs a 500-process test suite, and how many kernel-log lines per second the parser and
// classifier handle. COI_BENCH_TRIALS sets the trials per class (default 20), COI_BENCH_CLASSES
// (comma-separated) runs only those classes, COI_BENCH_SKIP_CPU=1 leaves out the CPU part,
// COI_BENCH_LOG=1 shows the daemon's messages.
// Needs root and the coi host set-up; containers are named coi-test-bench-… and deleted at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/core/config/index.js';
import { forceDelete } from '../src/core/container/force-delete.js';
import { containerName } from '../src/shared/naming.js';
import { Incus, IncusNotFoundError, eventInstance, isLifecycle } from '../src/incus/index.js';
import { classifyNetworkEvent } from '../src/security/detectors/network.js';
import { DEFAULT_RESOLVER_PORT } from '../src/security/dns/index.js';
import { readAudit } from '../src/security/audit/tail.js';
import { IO_BOOT_GRACE_MS } from '../src/security/monitor/container-watch.js';
import { MonitorDaemon } from '../src/security/monitor/daemon.js';
import { defaultHostNetwork } from '../src/core/session/network.js';
import { monitorSettings } from '../src/core/policy/monitor-settings.js';
import { NetworkGuard, withFreeAddress } from '../src/security/network/index.js';
import { logPrefix, type NetworkPolicy } from '../src/security/nft/index.js';
import { parseKmsgRecord, parseNftLog } from '../src/security/sources/kmsg-parse.js';
import { baseImageAlias } from '../src/core/image/recipe.js';
import {
  CORPUS_RESTRICTED,
  policyFor,
  startCorpusResolver,
} from '../test/helpers/attack-runner.js';
import { needsDefaultImage } from '../test/integration/security/attack-corpus-table.js';
import type { ResponseMark } from '../src/security/response/responder.js';
import {
  STAMP_DIR,
  STEPS,
  corpusClasses,
  runClass,
  type ClassResult,
} from './_containment-trials.js';
import { SUITE_UID, TEST_SUITE, formatCpu, monitorCpu } from './_monitor-cpu.js';

const PREFIX = `coi-test-bench${process.pid.toString(16)}-`;
const TRIALS = Number(process.env.COI_BENCH_TRIALS ?? 20);
const CLASSES = corpusClasses(process.env.COI_BENCH_CLASSES);
const SKIP_CPU = process.env.COI_BENCH_SKIP_CPU === '1';
/** COI_BENCH_LOG=1: the daemon's own messages (responses, failures) on stderr. */
const LOG = process.env.COI_BENCH_LOG === '1';
const IDLE_CONTAINERS = 10;
const CPU_WINDOW_MS = 60_000;
const LOCK_DIR = '/tmp/coi-test-address-locks';
/** coi-default (node, full python3), made by the coi build test; else the base image. */
const DEFAULT_IMAGE = 'coi-test-default';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
const wallMs = () => performance.timeOrigin + performance.now();

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(label: string, values: number[]): string {
  if (values.length === 0) return `${label}: no samples`;
  const f = (n: number) => n.toFixed(1).padStart(7);
  return `${label.padEnd(44)} n=${String(values.length).padStart(2)}  p50 ${f(percentile(values, 50))} ms  p95 ${f(percentile(values, 95))} ms  max ${f(Math.max(...values))} ms`;
}

function classTable(results: ClassResult[]): string[] {
  const f = (values: number[], p: number) =>
    values.length ? percentile(values, p).toFixed(1).padStart(8) : '       -';
  const lines = [
    `${'class'.padEnd(18)} ${'until'.padEnd(9)} ${'detected'.padStart(9)} ${'rate'.padStart(6)} ` +
      `${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'frozen50'.padStart(8)} ${'frozen95'.padStart(8)}  missed rows`,
  ];
  for (const r of results)
    lines.push(
      `${r.cls.padEnd(18)} ${r.until.padEnd(9)} ${`${r.contained}/${r.trials}`.padStart(9)} ` +
        `${((r.contained / Math.max(1, r.trials)) * 100).toFixed(0).padStart(5)}% ` +
        `${f(r.latencies, 50)} ${f(r.latencies, 95)} ${f(r.frozen, 50)} ${f(r.frozen, 95)}  ` +
        [...new Set(r.missedRows)].join(', '),
    );
  return lines;
}

/** Where each class's time went: p50/p95 of each step (see _containment-trials.ts). */
function stepTable(results: ClassResult[]): string[] {
  const f = (values: number[]) =>
    values.length
      ? `${percentile(values, 50).toFixed(1)}/${percentile(values, 95).toFixed(1)}`.padStart(13)
      : '            -';
  const lines = [`${'class'.padEnd(18)} ${STEPS.map((s) => s.padStart(13)).join(' ')}`];
  for (const r of results)
    lines.push(`${r.cls.padEnd(18)} ${STEPS.map((s) => f(r.steps[s])).join(' ')}`);
  return lines;
}

/** The attacker's listener on the gateway; it keeps every connection. */
async function listen(
  address: string,
  port: number,
): Promise<{ server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, resolve);
  });
  return { server, sockets };
}

export async function run(): Promise<void> {
  const incus = Incus.local();
  const daemonIncus = Incus.local();
  const home = mkdtempSync(join(tmpdir(), 'coi-bench-monitor-'));
  const host = await defaultHostNetwork(incus);
  if (!host) throw new Error('the default profile has no bridged eth0: run `coi setup` first');
  const guard = new NetworkGuard({
    ...host,
    resolver: { address: host.gateway, port: DEFAULT_RESOLVER_PORT },
  });
  const hasDefault = (await incus.images.findByAlias(DEFAULT_IMAGE)) !== undefined;
  const image = hasDefault ? DEFAULT_IMAGE : baseImageAlias();
  const created = new Set<string>();
  const { config } = loadConfig({ cwd: home, home, env: {} });
  const settings = monitorSettings(config);
  // The copy is made after containment; leaving it out keeps hundreds of kills quick.
  settings.forensicsOnKill = false;
  const daemon = new MonitorDaemon({
    incus: daemonIncus,
    coiDir: join(home, '.coi'),
    prefix: PREFIX,
    settings,
    network: true,
    releaseNetwork: (ip) => guard.release(ip),
    ...(LOG
      ? { log: (m: string) => console.error(`  ${new Date().toISOString()} daemon: ${m}`) }
      : {}),
    onResponseMark: (name, mark, atMs) => {
      const of = marks.get(name) ?? {};
      of[mark] ??= atMs;
      marks.set(name, of);
    },
  });
  const contained = new Map<string, number>();
  const marks = new Map<string, Partial<Record<ResponseMark, number>>>();
  await incus.connect();
  incus.events.subscribe((event) => {
    if (!isLifecycle(event, 'instance-paused', 'instance-stopped')) return;
    const name = eventInstance(event);
    if (name && !contained.has(name)) contained.set(name, wallMs());
  });
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const listener = await listen(host.gateway, port);
  const resolver = await startCorpusResolver(host.gateway, guard, daemon);

  const launch = async (
    name: string,
    opts: { policy?: NetworkPolicy; stampDir?: string } = {},
  ): Promise<void> => {
    created.add(name);
    const stamp: Record<string, Record<string, string>> = opts.stampDir
      ? { stamp: { type: 'disk', source: opts.stampDir, path: STAMP_DIR } }
      : {};
    if (!opts.policy) {
      await (await incus.instances.create({ name, image: { alias: image }, start: true })).wait();
      return;
    }
    const policy = opts.policy;
    const ip = await withFreeAddress(incus, host.bridge, LOCK_DIR, name, async (ip) => {
      await (
        await incus.instances.create({
          name,
          image: { alias: image },
          devices: {
            eth0: {
              type: 'nic',
              network: host.bridge,
              name: 'eth0',
              'ipv4.address': ip,
              'security.ipv4_filtering': 'true',
            },
            ...stamp,
          },
        })
      ).wait();
      return ip;
    });
    await guard.prepare(name, ip, policy);
    await guard.apply(ip);
    await (await incus.instances.start(name)).wait();
  };
  const remove = async (name: string) => {
    await guard.release(name).catch(() => undefined);
    try {
      await (await forceDelete(incus, name)).wait();
    } catch (err) {
      // The responder's own delete of a killed container may finish first.
      if (!(err instanceof IncusNotFoundError) && (await incus.instances.exists(name))) throw err;
    }
    created.delete(name);
    contained.delete(name);
    marks.delete(name);
  };
  const ready = async (name: string): Promise<string> => {
    await daemon.watchOf(name, 30_000);
    for (let i = 0; i < 300; i++) {
      const r = await incus.exec.run(name, ['sh', '-c', 'ip -4 -o addr show dev eth0']);
      const ip = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(r.stdout.toString())?.[1];
      if (ip) return ip;
      await sleep(100);
    }
    throw new Error(`${name} got no address`);
  };

  try {
    await daemon.start(false);

    // Raw freeze API call on an idle container the monitor ignores.
    const freezeName = `${PREFIX}freeze`;
    await launch(freezeName);
    const freezeTimes: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const t0 = process.hrtime.bigint();
      await (await incus.instances.freeze(freezeName)).wait();
      freezeTimes.push(ms(t0, process.hrtime.bigint()));
      await (await incus.instances.unfreeze(freezeName)).wait();
    }
    await remove(freezeName);

    const siblingName = containerName('/bench/sibling', 1, PREFIX);
    await launch(siblingName, { policy: CORPUS_RESTRICTED });
    const sibling = await ready(siblingName);
    const results: ClassResult[] = [];
    for (const cls of CLASSES) {
      results.push(
        await runClass(
          {
            incus,
            daemon,
            auditDir: join(home, '.coi', 'audit'),
            target: { gateway: host.gateway, port, sibling },
            launch: async (name, row, stampDir) => {
              await launch(name, { policy: policyFor(row.setup), stampDir });
              await ready(name);
            },
            remove,
            contained,
            marks,
            nameOf: (c, n) => containerName(`/bench/${c}/${n}`, 1, PREFIX),
            // The daemon's default: ten containers booting at once on two cores need it.
            ioGraceMs: IO_BOOT_GRACE_MS,
            canRun: (row) => hasDefault || !needsDefaultImage(row),
          },
          cls,
          TRIALS,
        ),
      );
      // As it goes, so a cut-short run still shows the classes it finished.
      console.log(`  ${classTable(results.slice(-1))[1]}`);
    }
    await remove(siblingName);
    console.log(`image: ${image}; ${TRIALS} trials per class`);
    for (const line of classTable(results)) console.log(line);
    console.log('where the time went, p50/p95 ms:');
    for (const line of stepTable(results)) console.log(line);
    console.log(summary('raw freeze API call (PUT state + wait)', freezeTimes));
    if (SKIP_CPU) return;

    // CPU of the monitor (this process) with idle monitored containers, then while one of them
    // runs a test suite of 500 short processes.
    const idle = Array.from({ length: IDLE_CONTAINERS }, (_, i) =>
      containerName(`/bench/idle/${i}`, 1, PREFIX),
    );
    await Promise.all(idle.map((n) => launch(n)));
    await Promise.all(idle.map((n) => daemon.watchOf(n, 30_000)));
    await sleep(IO_BOOT_GRACE_MS);
    const idleCpu = await monitorCpu(daemon, async () => {
      await sleep(CPU_WINDOW_MS);
    });
    const suiteCpu = await monitorCpu(daemon, async () => {
      const r = await incus.exec.run(idle[0]!, TEST_SUITE, { user: SUITE_UID });
      if (r.exitCode !== 0) {
        const alerts: string[] = [];
        await readAudit(join(home, '.coi', 'audit'), idle[0]!, {
          onRecord: (a) => alerts.push(`${a.level} ${a.title}: ${a.description}`),
        });
        console.log(`  the 500-process suite failed (${r.stderr.toString().trim()}); alerts:`);
        for (const a of alerts) console.log(`    ${a}`);
      }
    });
    await Promise.all(idle.map((n) => remove(n)));

    console.log(formatCpu(`idle CPU, ${IDLE_CONTAINERS} monitored containers`, idleCpu));
    console.log(formatCpu('CPU while one of them runs 5 × 500 short processes', suiteCpu));
    console.log(`kernel-log lines classified: ${kmsgThroughput().toLocaleString('en')} per second`);
  } finally {
    for (const s of listener.sockets) s.destroy();
    listener.server.close();
    await resolver.stop();
    await daemon.stop();
    for (const name of [...created]) await remove(name);
    await daemonIncus.close();
    await incus.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** Lines per second through the kmsg record parser, the nft log parser and the classifier. */
function kmsgThroughput(): number {
  const kinds = ['port', 'meta', 'priv', 'conn'] as const;
  const lines = Array.from({ length: 10_000 }, (_, i) => {
    const kind = kinds[i % kinds.length]!;
    const message =
      `${logPrefix(kind, '10.99.0.23')}IN=incusbr0 OUT=eth0 MAC=00:16:3e:00:00:01 ` +
      `SRC=10.99.0.23 DST=10.99.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=${i} DF PROTO=TCP ` +
      `SPT=${40000 + (i % 2000)} DPT=4444 WINDOW=64240 RES=0x00 SYN URGP=0`;
    return `4,${1000 + i},${123456789 + i},-;${message}\n`;
  });
  let alerts = 0;
  const t0 = process.hrtime.bigint();
  for (let round = 0; round < 20; round++)
    for (const line of lines) {
      const record = parseKmsgRecord(line);
      const event = record && parseNftLog(record.message);
      if (event && classifyNetworkEvent(event)) alerts += 1;
    }
  const seconds = ms(t0, process.hrtime.bigint()) / 1000;
  if (alerts === 0)
    throw new Error('the kmsg throughput lines raised no alert: check their format');
  return Math.round((lines.length * 20) / seconds);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
  process.exit(0);
}
