// coi's egress proxy against the direct path, in the same run: added p50 latency per HTTPS
// request (each on a new connection) and the throughput of a 100 MB download, on five paths:
//   direct    port 8443 of the gateway, not redirected (the baseline);
//   spliced   an allowlist container's 443 (DNAT to a leased proxy port, SNI checked, bytes relayed);
//   injected  the same container's 443 to its inject name (TLS terminated with the container's CA,
//             the Authorization header set, re-encrypted to the server);
//   any-name  an open container with inject_in_open: 443 redirected to the proxy's any-name port,
//             the name resolved on the host, spliced;
//   injected, server closes   as injected, to a server that closes each connection after its
//             answer: the proxy cannot keep its own connection to it (the others' servers keep
//             connections alive, as HTTPS APIs do, unless the client asks to close: curl does).
// Each download also gives the CPU time of this process (the proxy's, less at the mercy of a
// shared machine than MB/s), and each round the TLS floor: the CPU a TLS server and client in this
// process spend on the download's bytes, which the injector must decrypt and encrypt again (the
// bound of the injected path on a machine whose cores curl and the servers also use). The servers
// are on the bridge gateway. Targets (issue): < 2 ms added p50, throughput ≥ 1/1.2 of direct. The
// machine's speed swings (the direct download alone by 2×), so each round measures every proxied
// path next to the direct one (its requests alternate with direct ones in one curl, its download
// comes right before or after a direct one) and a figure is the median of the rounds'
// comparisons, with their spread (bench/_paired.ts). COI_BENCH_ROUNDS sets the rounds (default
// 9), COI_BENCH_REQUESTS the requests per path and round (default 50). Needs root and the coi host
// set-up; run through the integration lock:
//   flock /tmp/coi-incus-test.lock npx tsx bench/run.ts proxy
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROXY_CA_INSIDE } from '../src/core/session/launch/credential-proxy.js';
import { forceDelete } from '../src/core/container/force-delete.js';
import { baseImageAlias } from '../src/core/image/recipe.js';
import { defaultHostNetwork } from '../src/core/session/network.js';
import { Incus } from '../src/incus/index.js';
import { DEFAULT_RESOLVER_PORT } from '../src/security/dns/index.js';
import { AllowlistDns } from '../src/security/monitor/allowlist-dns.js';
import { NetworkGuard, withFreeAddress } from '../src/security/network/index.js';
import {
  EMPTY_ALLOWLIST,
  parseAllowlist,
  type HostNetwork,
  type NetworkPolicy,
} from '../src/security/nft/index.js';
import { injectionDir, loadInjection } from '../src/security/proxy/inject/store.js';
import { equipInjection, INJECT_NAME } from '../test/helpers/injection-rule.js';
import { selfSignedCert, startFakeUpstream } from '../test/helpers/proxy-bed.js';
import { pairInRound, rotated } from './_paired.js';
import { tlsFloorCpuMs } from './_tls-floor.js';
import { DOWNLOAD_MB, report, type BenchPath, type Download, type Round } from './_proxy-report.js';

const PREFIX = `coi-test-bench${process.pid.toString(16)}`;
const REQUESTS = Number(process.env.COI_BENCH_REQUESTS ?? 50);
const ROUNDS = Number(process.env.COI_BENCH_ROUNDS ?? 9);
const LOCK_DIR = '/tmp/coi-test-address-locks';
const PROXY_PORTS = { first: 41_100, count: 16 };
/** The bench's own any-name ports, so a monitor daemon's proxy on the host is not in the way. */
const ANY_NAME_PORTS = { 80: 41_190, 443: 41_191 } as const;
const NAME = 'allowed.test';
const BENCH_CA = '/tmp/bench-cas.pem';
const POLICY: NetworkPolicy = {
  mode: 'allowlist',
  allowlist: parseAllowlist([NAME, INJECT_NAME]),
  allowLocalNetworkAccess: true,
  blockPrivateNetworks: true,
  blockMetadataEndpoint: true,
  logging: { ratePerSecond: 0, connections: false, dnsQueries: false },
};
const OPEN: NetworkPolicy = {
  ...POLICY,
  mode: 'open',
  allowlist: EMPTY_ALLOWLIST,
  anyNameProxy: true,
};

/** bench/_proxy-servers.ts in its own process, once it listens. */
async function startServerProcess(
  address: string,
  dir: string,
  ports: number[],
): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('./_proxy-servers.ts', import.meta.url));
  const args = [script, address, join(dir, 'cert.pem'), join(dir, 'key.pem'), ...ports.map(String)];
  const child = spawn('npx', ['tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`the bench's web servers exited (${code})`)));
  });
  return child;
}

/** A container at a free pinned address, guarded by `policy`, started; resolves with its address. */
async function launchGuarded(
  incus: Incus,
  guard: NetworkGuard,
  host: HostNetwork,
  name: string,
  policy: NetworkPolicy,
): Promise<string> {
  const ip = await withFreeAddress(incus, host.bridge, LOCK_DIR, name, async (free) => {
    const nic = { type: 'nic', network: host.bridge, name: 'eth0' };
    const devices = { eth0: { ...nic, 'ipv4.address': free, 'security.ipv4_filtering': 'true' } };
    const image = { alias: baseImageAlias() };
    await (await incus.instances.create({ name, image, devices, start: false })).wait();
    return free;
  });
  await guard.prepare(name, ip, policy);
  await guard.apply(ip);
  await (await incus.instances.start(name)).wait();
  for (let i = 0; i < 300; i++) {
    if ((await sh(incus, name, 'ip -4 -o addr show dev eth0')).includes(ip)) break;
    await sleep(100);
  }
  return ip;
}

async function sh(incus: Incus, container: string, script: string): Promise<string> {
  const r = await incus.exec.run(container, ['sh', '-c', script]);
  if (r.exitCode !== 0)
    throw new Error(`${script.slice(0, 80)}… failed (${r.exitCode}): ${r.stderr.toString()}`);
  return r.stdout.toString();
}

export async function run(): Promise<void> {
  const incus = Incus.local();
  const found = await defaultHostNetwork(incus);
  if (!found) throw new Error('the default profile has no bridged eth0: run `coi setup` first');
  const host: HostNetwork = {
    ...found,
    resolver: { address: found.gateway, port: DEFAULT_RESOLVER_PORT },
    egressProxy: true,
    anyNamePorts: ANY_NAME_PORTS,
  };
  const guard = new NetworkGuard(host);
  await guard.ensureBase();
  const work = mkdtempSync(join(tmpdir(), 'coi-bench-proxy-'));
  const upstream = await startFakeUpstream(host.gateway);
  const tls = await selfSignedCert(work, [NAME, INJECT_NAME]);
  const servers = await startServerProcess(host.gateway, work, [443, 8443]);
  const dns = new AllowlistDns({
    host,
    refreshIntervalMinutes: 0,
    noSni: 'refuse',
    upstream: { address: '127.0.0.1', port: upstream.address().port },
    proxyPorts: PROXY_PORTS,
    injectionOf: (container) => loadInjection(injectionDir(work, container)),
    upstreamCa: [tls.cert],
    onAlert: (container, alert) => console.log(`unexpected alert for ${container}: ${alert.title}`),
    log: (message) => console.log(message),
  });
  const guest = { allowlist: `${PREFIX}-proxy`, open: `${PREFIX}-open` };
  const ips: string[] = [];
  try {
    await dns.start();
    const launched = async (name: string, policy: NetworkPolicy) => {
      const ip = await launchGuarded(incus, guard, host, name, policy);
      ips.push(ip);
      await sh(incus, name, `cat > ${BENCH_CA} <<'EOF'\n${tls.cert}EOF`);
      return ip;
    };
    const allowlistIp = await launched(guest.allowlist, POLICY);
    await equipInjection(work, guest.allowlist, 'bench-token');
    // curl trusts the bench's CA, and the container's own for the inject name.
    await sh(incus, guest.allowlist, `cat ${PROXY_CA_INSIDE} >> ${BENCH_CA}`);
    dns.add(allowlistIp, guest.allowlist, POLICY.allowlist.domains);
    const openIp = await launched(guest.open, OPEN);
    dns.add(openIp, guest.open, [], { anyName: { metadata: false, private: false } });
    // Resolved once through coi's resolver (lease and learned address in), then pinned.
    for (const name of [NAME, INJECT_NAME])
      await sh(
        incus,
        guest.allowlist,
        `curl -sS -m 5 --cacert ${BENCH_CA} -o /dev/null https://${name}/`,
      );
    // The proxy keeps its connection to the server alive, as the servers do (HTTPS APIs do); this
    // one's server closes each, so each request also pays the proxy's own TLS connection to it.
    const injectedClose = { name: INJECT_NAME, port: 443, query: '?close' };
    // The direct path is taken from the container of the path it is compared with.
    const direct: BenchPath = {
      label: 'direct',
      container: guest.allowlist,
      name: NAME,
      port: 8443,
    };
    const proxied: BenchPath[] = [
      { label: 'spliced', container: guest.allowlist, name: NAME, port: 443 },
      { label: 'injected', container: guest.allowlist, name: INJECT_NAME, port: 443 },
      { label: 'any-name', container: guest.open, name: NAME, port: 443 },
      { ...{ label: 'injected, server closes', container: guest.allowlist }, ...injectedClose },
    ];
    const curl = (container: string, to: BenchPath[], args: string) => {
      const resolve = to.map((p) => `--resolve ${p.name}:${p.port}:${host.gateway}`).join(' ');
      return sh(incus, container, `curl -sS -m 120 --cacert ${BENCH_CA} ${resolve} ${args}`);
    };
    const url = (path: BenchPath, rest = '') =>
      `'https://${path.name}:${path.port}/${rest}${path.query ?? ''}'`;
    /**
     * REQUESTS requests of `path` and as many direct ones from the same container, alternating
     * (which goes first alternates with the round): each pair of samples shares a moment.
     */
    const timings = async (round: number, path: BenchPath): Promise<Round['latency']> => {
      const base = { ...direct, container: path.container };
      const order = round % 2 === 0 ? [base, path] : [path, base];
      const urls = Array.from({ length: REQUESTS }, () =>
        order.map((p) => `-o /dev/null ${url(p)}`),
      );
      // Connection: close, else the injector (an HTTP server) keeps the connection for the next.
      const out = await curl(
        path.container,
        order,
        `-H 'Connection: close' -w '%{time_total}\\n' ${urls.flat().join(' ')}`,
      );
      const ms = out
        .trim()
        .split('\n')
        .map((s) => Number(s) * 1000);
      const [first, second] = [0, 1].map((k) => ms.filter((_, i) => i % 2 === k)) as [
        number[],
        number[],
      ];
      return round % 2 === 0 ? { base: first, path: second } : { base: second, path: first };
    };
    // This process's CPU time per download: the proxy's, but for a little of the exec client's
    // (the direct path's figure). Less at the mercy of a shared machine than MB/s.
    const speed = async (path: BenchPath): Promise<Download> => {
      const before = process.cpuUsage();
      const out = await curl(
        path.container,
        [path],
        `-o /dev/null -w '%{speed_download}' ${url(path, `mb/${DOWNLOAD_MB}`)}`,
      );
      const used = process.cpuUsage(before);
      return { mbps: Number(out) / 1e6, cpuMs: (used.user + used.system) / 1000 };
    };
    const rounds = new Map(proxied.map((p) => [p, [] as Round[]]));
    for (const path of proxied) await timings(0, path); // warm-up
    const floor: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const path of rotated(proxied, round)) {
        const latency = await timings(round, path);
        const base = { ...direct, container: path.container };
        const download = await pairInRound(round, base, path, speed);
        rounds.get(path)!.push({ latency, download });
      }
      floor.push(await tlsFloorCpuMs(tls, NAME, DOWNLOAD_MB));
    }
    console.log(report(direct, proxied, rounds, floor));
    console.log(`proxy: ${JSON.stringify(dns.proxyStatus())}`);
  } finally {
    await dns.stop();
    for (const ip of ips) await guard.release(ip).catch(() => undefined);
    for (const name of Object.values(guest))
      await (await forceDelete(incus, name).catch(() => undefined))?.wait();
    upstream.close();
    if (servers.pid) process.kill(-servers.pid); // npx and the node under it
    rmSync(work, { recursive: true, force: true });
    await incus.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
  process.exit(0);
}
