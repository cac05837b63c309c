import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExecApi } from '../../src/incus/exec.js';
import { EMPTY_ALLOWLIST, type NetworkPolicy } from '../../src/security/nft/index.js';
import { parseKmsgRecord } from '../../src/security/sources/kmsg-parse.js';
import { NetworkGuard } from '../../src/security/network/guard.js';
import { DEFAULT_RESOLVER_PORT } from '../../src/security/dns/resolver.js';
import { KmsgNetworkSource, type KmsgNetworkEvent } from '../../src/security/sources/kmsg.js';
import { withFreeAddress } from '../../src/security/network/addresses.js';
import { BRIDGE, GATEWAY, incus, incusApis, launchTestContainer, testName } from './testbed.js';

/**
 * Helpers for the network security tests: containers launched the way coi launches them (address
 * pinned on the NIC, ipv4 filtering, rules in before start), commands inside them, host listeners
 * on the gateway, and the kernel clock for latency figures.
 */

/** Shared with coi itself would be ~/.coi; tests of all files use one so their picks never race. */
export const ADDRESS_LOCK_DIR = '/tmp/coi-test-address-locks';

export const RESTRICTED: NetworkPolicy = {
  mode: 'restricted',
  allowlist: EMPTY_ALLOWLIST,
  allowLocalNetworkAccess: false,
  blockPrivateNetworks: true,
  blockMetadataEndpoint: true,
  logging: { ratePerSecond: 100, connections: false, dnsQueries: false },
};

const exec = new ExecApi(incus());

export async function sh(
  container: string,
  script: string,
): Promise<{ code: number; out: string; err: string }> {
  const r = await exec.run(container, ['sh', '-c', script]);
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}

/**
 * Creates a container with a pinned address, guards it, starts it and waits for the address.
 * With `gateOnly` it starts behind the gate, its policy not applied yet; `image`: not the base image;
 * `config`: instance keys (what a launch records, e.g. `user.coi.allowlist`).
 */
export async function launchGuarded(
  label: string,
  guard: NetworkGuard,
  policy: NetworkPolicy,
  opts: { gateOnly?: boolean; image?: string; config?: Record<string, string> } = {},
): Promise<{ name: string; ip: string }> {
  const want = testName(label);
  const { name, ip } = await withFreeAddress(
    incusApis(),
    BRIDGE,
    ADDRESS_LOCK_DIR,
    want,
    async (ip) => ({
      ip,
      name: await launchTestContainer(label, {
        start: false,
        image: opts.image,
        config: opts.config,
        devices: {
          eth0: {
            type: 'nic',
            network: BRIDGE,
            name: 'eth0',
            'ipv4.address': ip,
            'security.ipv4_filtering': 'true',
          },
        },
      }),
    }),
  );
  await guard.prepare(name, ip, policy);
  if (!opts.gateOnly) await guard.apply(ip);
  const setState = async (action: 'start' | 'restart') => {
    const op = await incus().operation('PUT', `/1.0/instances/${name}/state`, {
      body: { action, ...(action === 'restart' ? { force: true } : {}) },
    });
    await op.wait({ timeoutMs: 60_000 });
  };
  await setState('start');
  // Under load Incus's dnsmasq can answer the first DHCP request before it has read the pin (the
  // container then holds a dynamic address, seen twice at the attack corpus's mass-write row): a
  // restart asks again.
  let shown = '';
  let restarted = false;
  for (let i = 0; i < 300; i += 1) {
    shown = (await sh(name, 'ip -4 -o addr show dev eth0 2>/dev/null || true')).out;
    if (shown.includes(`inet ${ip}/`)) return { name, ip };
    if (shown.includes('inet ') && !restarted) {
      restarted = true;
      await setState('restart');
    }
    await sleep(100);
  }
  throw new Error(
    `${name} did not get its pinned address ${ip} within 30 s${restarted ? ' (restarted once: it had a dynamic one)' : ''} (eth0: ${shown.trim() || 'no IPv4'})`,
  );
}

/** A TCP listener on the host that accepts and closes; resolves with the server. */
export async function hostListener(address: string, port: number): Promise<Server> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined); // nc -z resets the connection
    socket.end('hello\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  return server;
}

/** Waits until `find` returns something, or fails after `timeoutMs`. */
export async function eventually<T>(
  find: () => T | undefined,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Offset (ns) from the kernel log clock to `process.hrtime.bigint()`: a marker is written to
 * /dev/kmsg and read back; its timestamp is taken when the write returned.
 */
export function kernelClockOffsetNs(): bigint {
  const marker = `coi-test clock marker ${process.pid}-${Date.now()}`;
  const fd = openSync('/dev/kmsg', constants.O_RDWR | constants.O_NONBLOCK);
  try {
    const buffer = Buffer.alloc(64 * 1024);
    // Skip what is there already, so the marker is found among the new records.
    for (;;) {
      try {
        readSync(fd, buffer, 0, buffer.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') break;
        if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
      }
    }
    const before = process.hrtime.bigint();
    writeSync(fd, `<5>${marker}\n`);
    const after = process.hrtime.bigint();
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      const record = parseKmsgRecord(buffer.toString('utf8', 0, n));
      if (record?.message.includes(marker))
        return (before + after) / 2n - BigInt(record.usec) * 1000n;
    }
  } finally {
    closeSync(fd);
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A guard on the test bridge (resolver at the gateway) and a kernel-log source collecting its events. */
export function guardWithKmsg(): {
  guard: NetworkGuard;
  source: KmsgNetworkSource;
  events: KmsgNetworkEvent[];
} {
  const guard = new NetworkGuard({
    bridge: BRIDGE,
    gateway: GATEWAY,
    resolver: { address: GATEWAY, port: DEFAULT_RESOLVER_PORT },
  });
  const events: KmsgNetworkEvent[] = [];
  const source = new KmsgNetworkSource({
    containerOf: (ip) => guard.containerOf(ip),
    onEvent: (event) => events.push(event),
  });
  return { guard, source, events };
}
