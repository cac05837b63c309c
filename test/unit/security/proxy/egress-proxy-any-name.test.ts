import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NameCache } from '../../../../src/security/dns/name-cache.js';
import type { RefusedConnection } from '../../../../src/security/proxy/alerts.js';
import { EgressProxy } from '../../../../src/security/proxy/egress-proxy.js';
import type { CredentialInjector } from '../../../../src/security/proxy/inject/injector.js';
import type { ContainerInjection } from '../../../../src/security/proxy/inject/store.js';
import { captureClientHello } from '../../../helpers/client-hello.js';

/**
 * The proxy's any-name ports (`inject_in_open`) on loopback: "the container" is 127.0.0.1; names
 * resolve through the proxy's name cache in front of a stand-in of the host's resolver. The splice itself is the same as for
 * allowlist containers (egress-proxy.test.ts) and is seen end to end in the integration test.
 */

const CLIENT = '127.0.0.1';
const BASE = 45_000 + (process.pid % 500) * 4;
const PORTS = { 80: BASE, 443: BASE + 1 };
const ADDRESSES: Record<string, string[]> = {
  'inject.test': ['203.0.113.7'],
  'lan.test': ['192.168.1.5'],
  'lo.test': ['127.0.0.1'],
  'meta.test': ['169.254.169.254'],
};
const asked: string[] = [];
const names = new NameCache({
  query: async (name) => {
    asked.push(name);
    return { addresses: ADDRESSES[name] ?? [], ttl: 60, negative: false };
  },
});
const refusals: RefusedConnection[] = [];
const handedOver: { name: string; address: string }[] = [];
let anyName = true;
const injection = {
  rules: [
    { domain: 'inject.test', header: 'X-Key', source: { kind: 'value', value: 'k' }, format: '{}' },
  ],
} as unknown as ContainerInjection;
const injector = {
  terminate: async (socket: Socket, _head: Buffer, c: { name: string; address: string }) => {
    handedOver.push({ name: c.name, address: c.address });
    socket.end('terminated');
    return true;
  },
  close: () => undefined,
} as unknown as CredentialInjector;
const proxy = new EgressProxy({
  address: CLIENT,
  ports: { first: BASE + 2, count: 2 },
  anyNamePorts: PORTS,
  resolveName: (name) => names.addresses(name),
  policyOf: (ip) =>
    ip === CLIENT
      ? {
          container: 'coi-o-1',
          domains: [],
          inject: injection,
          ...(anyName ? { anyName: { metadata: true, private: true, gateway: '10.99.0.1' } } : {}),
        }
      : undefined,
  injector,
  noSni: 'allow',
  apply: async () => undefined,
  onRefused: (r) => refusals.push(r),
});

beforeAll(() => proxy.start());
afterAll(() => proxy.stop());

function exchange(port: 80 | 443, data: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = connect(PORTS[port], CLIENT, () => socket.write(data));
    let reply = '';
    socket.on('data', (d) => (reply += d.toString()));
    socket.on('error', () => resolve('reset'));
    socket.on('close', () => resolve(reply || 'reset'));
  });
}

describe('egress proxy, any-name ports', () => {
  it('hands an inject name to the injector with the address the host resolved', async () => {
    expect(await exchange(443, await captureClientHello('inject.test'))).toBe('terminated');
    expect(handedOver).toEqual([{ name: 'inject.test', address: '203.0.113.7' }]);
  });

  it('refuses what restricted mode blocks and the host loopback, and reports it', async () => {
    expect(await exchange(443, await captureClientHello('lan.test'))).toBe('reset');
    expect(refusals.at(-1)).toMatchObject({
      container: 'coi-o-1',
      request: { protocol: 'tls', name: 'lan.test', port: 443 },
      verdict: { kind: 'blocked', reason: expect.stringContaining('a private network') },
      anyName: true,
    });
    expect(await exchange(80, 'GET / HTTP/1.1\r\nHost: lo.test\r\n\r\n')).toBe('reset');
    expect(refusals.at(-1)?.verdict.reason).toContain("the host's loopback");
  });

  it('checks the cached address of a name against the blocks on every connection', async () => {
    const before = refusals.length;
    for (let i = 0; i < 2; i++)
      expect(await exchange(443, await captureClientHello('meta.test'))).toBe('reset');
    expect(refusals.slice(before).map((r) => r.verdict.reason)).toEqual([
      expect.stringContaining('the metadata endpoint'),
      expect.stringContaining('the metadata endpoint'),
    ]);
    expect(asked.filter((name) => name === 'meta.test')).toHaveLength(1);
  });

  it('refuses a connection without a name, even with no_sni = "allow"', async () => {
    expect(await exchange(443, await captureClientHello(undefined))).toBe('reset');
    expect(refusals.at(-1)).toMatchObject({ verdict: { kind: 'no-name' } });
  });

  it('resets a client that is no any-name container, silently', async () => {
    anyName = false;
    try {
      const before = refusals.length;
      expect(await exchange(443, await captureClientHello('inject.test'))).toBe('reset');
      expect(refusals.length).toBe(before);
      expect(handedOver).toHaveLength(1);
    } finally {
      anyName = true;
    }
  });

  it('starts while its any-name ports are taken, serving allowlist containers, and says so', async () => {
    const errors: string[] = [];
    const second = new EgressProxy({
      address: CLIENT,
      ports: { first: BASE + 2, count: 2 },
      anyNamePorts: PORTS,
      resolveName: async () => [],
      policyOf: () => undefined,
      noSni: 'refuse',
      apply: async () => undefined,
      onRefused: () => undefined,
      onError: (err) => errors.push(err.message),
    });
    await second.start();
    try {
      expect(second.status().state).toBe('serving');
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatch(
        /^any-name port \d+ \(inject_in_open containers' port 80\): .*refused$/,
      );
      // Its status says which it could not hold, and why (`coi health` reports it).
      expect(second.status().anyNameListeners).toEqual([
        { for: 80, port: PORTS[80], error: expect.stringContaining('EADDRINUSE') },
        { for: 443, port: PORTS[443], error: expect.stringContaining('EADDRINUSE') },
      ]);
      expect(proxy.status().anyNameListeners).toEqual([
        { for: 80, port: PORTS[80] },
        { for: 443, port: PORTS[443] },
      ]);
    } finally {
      await second.stop();
    }
  });
});
