import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowlist } from '../../../../src/security/nft/index.js';
import type {
  AllowedConnection,
  RefusedConnection,
} from '../../../../src/security/proxy/alerts.js';
import type { NoSniPolicy } from '../../../../src/security/proxy/decide.js';
import { EgressProxy } from '../../../../src/security/proxy/egress-proxy.js';
import type { CredentialInjector } from '../../../../src/security/proxy/inject/injector.js';
import type { ContainerInjection } from '../../../../src/security/proxy/inject/store.js';
import { captureClientHello } from '../../../helpers/client-hello.js';

/**
 * The proxy on loopback: "the container" is 127.0.0.1, the destination 127.0.0.2 (its real ports
 * 80 and 443, so this needs root, as the nft tests do). Its nft batches are collected, not applied.
 */

const CLIENT = '127.0.0.1';
const TARGET = '127.0.0.2';
const FIRST = 47_000 + (process.pid % 1000);
const batches: string[] = [];
const refusals: RefusedConnection[] = [];
const allowed: AllowedConnection[] = [];
/** The container's recorded `no_sni`; undefined: the proxy's own ("refuse"). */
let containerNoSni: NoSniPolicy | undefined;
/** What each destination port received. */
const received = new Map<number, Buffer>();
const servers: Server[] = [];
/** inject.test is an inject name; the stand-in injector takes the connection over, or cannot. */
const injection = {
  rules: [
    { domain: 'inject.test', header: 'X-Key', source: { kind: 'value', value: 'k' }, format: '{}' },
  ],
} as unknown as ContainerInjection;
const handedOver: string[] = [];
let injectorTakesOver = true;
const injector = {
  terminate: async (socket: Socket, _head: Buffer, c: { name: string }) => {
    if (!injectorTakesOver) return false;
    handedOver.push(c.name);
    socket.end('terminated');
    return true;
  },
  close: () => undefined,
} as unknown as CredentialInjector;
const proxy = new EgressProxy({
  address: CLIENT,
  ports: { first: FIRST, count: 4 },
  policyOf: (ip) =>
    ip === CLIENT
      ? {
          container: 'coi-a-1',
          domains: parseAllowlist(['allowed.test', 'inject.test']).domains,
          ...(containerNoSni ? { noSni: containerNoSni } : {}),
          inject: injection,
        }
      : undefined,
  injector,
  noSni: 'refuse',
  apply: async (batch) => void batches.push(batch),
  onRefused: (r) => refusals.push(r),
  onAllowed: (a) => allowed.push(a),
});

beforeAll(async () => {
  for (const port of [80, 443]) {
    const server = createServer((socket) => {
      socket.once('data', (data: Buffer) => {
        received.set(port, data);
        socket.end('pong');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, TARGET, resolve));
    servers.push(server);
  }
  await proxy.start();
  await proxy.expose(CLIENT, [{ address: TARGET }], 300);
});

afterAll(async () => {
  await proxy.stop();
  for (const server of servers) server.close();
});

const proxyPort = (port: number) => {
  const line = batches
    .join('')
    .split('\n')
    .find((l) => l.startsWith(`add element`) && l.includes(`${TARGET} . ${port} `));
  return Number(/\. (\d+) }$/.exec(line ?? '')?.[1]);
};

/** Sends `data` to the proxy port of a destination port; resolves with the reply, or 'reset'. */
function exchange(port: number, data: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = connect(proxyPort(port), CLIENT, () => socket.write(data));
    let reply = '';
    socket.on('data', (d) => (reply += d.toString()));
    socket.on('error', () => resolve('reset'));
    socket.on('close', () => resolve(reply || 'reset'));
  });
}

describe('egress proxy on loopback', () => {
  it('leases a port per HTTP(S) destination and maps it, flushing the map first', () => {
    expect(batches[0]).toBe('flush map inet coi proxy_targets\n');
    expect(proxyPort(80)).toBeGreaterThanOrEqual(FIRST);
    expect(proxyPort(443)).not.toBe(proxyPort(80));
    expect(batches[1]).toContain(`${TARGET} . 443 timeout 300s : ${CLIENT} . ${proxyPort(443)}`);
  });

  it('passes an allowed HTTP request on, closing after one answer', async () => {
    const reply = await exchange(
      80,
      'GET / HTTP/1.1\r\nHost: allowed.test\r\nConnection: keep-alive\r\n\r\n',
    );
    expect(reply).toBe('pong');
    expect(received.get(80)?.toString()).toBe(
      'GET / HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n',
    );
  });

  it('splices TLS unchanged when the SNI is allowed, and refuses it without SNI', async () => {
    const hello = await captureClientHello('allowed.test');
    expect(await exchange(443, hello)).toBe('pong');
    expect(received.get(443)).toEqual(hello);
    expect(allowed.at(-1)).toEqual({
      container: 'coi-a-1',
      ip: CLIENT,
      address: TARGET,
      request: { protocol: 'tls', name: 'allowed.test', port: 443 },
    });
    expect(await exchange(443, await captureClientHello(undefined))).toBe('reset');
    expect(refusals.at(-1)).toMatchObject({ verdict: { kind: 'no-name' } });
  });

  it("follows the container's recorded no_sni over its own", async () => {
    containerNoSni = 'allow';
    try {
      const before = allowed.length;
      expect(await exchange(443, await captureClientHello(undefined))).toBe('pong');
      expect(allowed.slice(before)).toMatchObject([{ request: { name: undefined } }]);
    } finally {
      containerNoSni = undefined;
    }
  });

  it('hands TLS for an inject name to the injector, and never splices it when that fails', async () => {
    const hello = await captureClientHello('inject.test');
    received.delete(443);
    expect(await exchange(443, hello)).toBe('terminated');
    expect(handedOver).toEqual(['inject.test']);
    injectorTakesOver = false;
    expect(await exchange(443, hello)).toBe('reset');
    injectorTakesOver = true;
    expect(received.has(443)).toBe(false);
    // Plain HTTP to it carries no credential: spliced as any allowed name.
    expect(await exchange(80, 'GET / HTTP/1.1\r\nHost: inject.test\r\n\r\n')).toBe('pong');
    expect(proxy.status()).toMatchObject({ injected: 1 });
  });

  it('resets another name and reports it; an unentitled client is reset silently', async () => {
    expect(await exchange(80, 'GET / HTTP/1.1\r\nHost: other.test\r\n\r\n')).toBe('reset');
    expect(refusals.at(-1)).toMatchObject({
      container: 'coi-a-1',
      ip: CLIENT,
      address: TARGET,
      request: { protocol: 'http', name: 'other.test', port: 80 },
      verdict: { kind: 'name-not-allowed' },
    });
    const before = refusals.length;
    proxy.forget(CLIENT);
    expect(await exchange(80, 'GET / HTTP/1.1\r\nHost: allowed.test\r\n\r\n')).toBe('reset');
    expect(refusals.length).toBe(before);
    expect(proxy.status()).toMatchObject({ state: 'serving', targets: 2, allowed: 4, refused: 4 });
  });
});
