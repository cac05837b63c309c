// coi's egress proxy against the direct path, in the same run, from one allowlist container:
// added p50 latency per HTTPS request (each on a new connection: DNAT to the proxy's port, SNI
// read, allowlist check, upstream connect) and the throughput of a 100 MB download. The servers are
// on the bridge gateway: port 443 goes through the proxy, 8443 (not redirected) is the direct path.
// Targets: < 2 ms added p50, throughput ≥ 1/1.2 of direct. COI_BENCH_REQUESTS sets the requests per
// path (default 200). Needs root and the coi host set-up; run through the integration lock:
//   flock /tmp/coi-incus-test.lock npx tsx bench/run.ts proxy
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { forceDelete } from '../src/core/container/force-delete.js';
import { baseImageAlias } from '../src/core/image/recipe.js';
import { defaultHostNetwork } from '../src/core/session/network.js';
import { Incus } from '../src/incus/index.js';
import { DEFAULT_RESOLVER_PORT } from '../src/security/dns/index.js';
import { AllowlistDns } from '../src/security/monitor/allowlist-dns.js';
import { NetworkGuard, withFreeAddress } from '../src/security/network/index.js';
import { parseAllowlist, type HostNetwork } from '../src/security/nft/index.js';
import { selfSignedCert, startFakeUpstream } from '../test/helpers/proxy-bed.js';

const NAME = `coi-test-bench${process.pid.toString(16)}-proxy`;
const REQUESTS = Number(process.env.COI_BENCH_REQUESTS ?? 200);
const DOWNLOAD_MB = 100;
const ROUNDS = 3;
const LOCK_DIR = '/tmp/coi-test-address-locks';
const PROXY_PORTS = { first: 41_100, count: 16 };

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

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function run(): Promise<void> {
  const incus = Incus.local();
  const found = await defaultHostNetwork(incus);
  if (!found) throw new Error('the default profile has no bridged eth0: run `coi setup` first');
  const host: HostNetwork = {
    ...found,
    resolver: { address: found.gateway, port: DEFAULT_RESOLVER_PORT },
    egressProxy: true,
  };
  const guard = new NetworkGuard(host);
  await guard.ensureBase();
  const work = mkdtempSync(join(tmpdir(), 'coi-bench-proxy-'));
  const upstream = await startFakeUpstream(host.gateway);
  const tls = await selfSignedCert(work, ['allowed.test']);
  const servers = await startServerProcess(host.gateway, work, [443, 8443]);
  const allowlist = parseAllowlist(['allowed.test']);
  const dns = new AllowlistDns({
    host,
    refreshIntervalMinutes: 0,
    noSni: 'refuse',
    upstream: { address: '127.0.0.1', port: upstream.address().port },
    proxyPorts: PROXY_PORTS,
    onAlert: (container, alert) => console.log(`unexpected alert for ${container}: ${alert.title}`),
    log: (message) => console.log(message),
  });
  let ip = '';
  try {
    ip = await withFreeAddress(incus, host.bridge, LOCK_DIR, NAME, async (free) => {
      const nic = { type: 'nic', network: host.bridge, name: 'eth0' };
      const devices = {
        eth0: { ...nic, 'ipv4.address': free, 'security.ipv4_filtering': 'true' },
      };
      const image = { alias: baseImageAlias() };
      await (await incus.instances.create({ name: NAME, image, devices, start: false })).wait();
      return free;
    });
    await guard.prepare(NAME, ip, {
      mode: 'allowlist',
      allowlist,
      allowLocalNetworkAccess: true,
      blockPrivateNetworks: true,
      blockMetadataEndpoint: true,
      logging: { ratePerSecond: 0, connections: false, dnsQueries: false },
    });
    await guard.apply(ip);
    await dns.start();
    dns.add(ip, NAME, allowlist.domains);
    await (await incus.instances.start(NAME)).wait();
    const sh = async (script: string) => {
      const r = await incus.exec.run(NAME, ['sh', '-c', script]);
      if (r.exitCode !== 0)
        throw new Error(`${script.slice(0, 80)}… failed (${r.exitCode}): ${r.stderr.toString()}`);
      return r.stdout.toString();
    };
    for (let i = 0; i < 300 && !(await sh('ip -4 -o addr show dev eth0')).includes(ip); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await sh(`cat > /tmp/bench-ca.pem <<'EOF'\n${tls.cert}EOF`);
    // Resolved once through coi's resolver (lease and learned address in), then pinned for both.
    await sh('curl -sS -m 5 --cacert /tmp/bench-ca.pem -o /dev/null https://allowed.test/');
    const curl = `curl -sS -m 120 --cacert /tmp/bench-ca.pem --resolve allowed.test:443:${host.gateway} --resolve allowed.test:8443:${host.gateway}`;
    const timings = async (port: number): Promise<number[]> => {
      const urls = Array.from(
        { length: REQUESTS },
        () => `-o /dev/null https://allowed.test:${port}/`,
      );
      const out = await sh(`${curl} -w '%{time_total}\\n' ${urls.join(' ')}`);
      return out
        .trim()
        .split('\n')
        .map((s) => Number(s) * 1000);
    };
    const speed = async (port: number): Promise<number> => {
      const url = `https://allowed.test:${port}/mb/${DOWNLOAD_MB}`;
      const out = await sh(`${curl} -o /dev/null -w '%{speed_download}' ${url}`);
      return Number(out) / 1e6;
    };
    const latency = { direct: [] as number[], proxy: [] as number[] };
    const throughput = { direct: [] as number[], proxy: [] as number[] };
    await timings(8443); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      latency.direct.push(...(await timings(8443)));
      latency.proxy.push(...(await timings(443)));
      throughput.direct.push(await speed(8443));
      throughput.proxy.push(await speed(443));
    }
    const p50 = { direct: percentile(latency.direct, 50), proxy: percentile(latency.proxy, 50) };
    const p95 = { direct: percentile(latency.direct, 95), proxy: percentile(latency.proxy, 95) };
    const mbps = {
      direct: percentile(throughput.direct, 50),
      proxy: percentile(throughput.proxy, 50),
    };
    const added = p50.proxy - p50.direct;
    const ratio = mbps.direct / mbps.proxy;
    console.log(
      [
        `HTTPS request on a new connection (ms, n=${latency.direct.length} per path):`,
        `  direct  p50 ${p50.direct.toFixed(2)}  p95 ${p95.direct.toFixed(2)}`,
        `  proxy   p50 ${p50.proxy.toFixed(2)}  p95 ${p95.proxy.toFixed(2)}`,
        `  added p50 ${added.toFixed(2)} ms (target < 2 ms) ${added < 2 ? 'MET' : 'MISSED'}`,
        `${DOWNLOAD_MB} MB download (MB/s, median of ${ROUNDS}):`,
        `  direct ${mbps.direct.toFixed(0)}  proxy ${mbps.proxy.toFixed(0)}  direct/proxy ${ratio.toFixed(2)}× (target ≤ 1.2×) ${ratio <= 1.2 ? 'MET' : 'MISSED'}`,
        `proxy: ${JSON.stringify(dns.proxyStatus())}`,
      ].join('\n'),
    );
  } finally {
    await dns.stop();
    if (ip) await guard.release(ip).catch(() => undefined);
    await (await forceDelete(incus, NAME).catch(() => undefined))?.wait();
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
