import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, request, type Agent, type Server } from 'node:https';
import { type AddressInfo, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxyCa, LeafIssuer } from '../../../../../src/security/proxy/inject/ca.js';
import {
  CredentialInjector,
  STREAM_HIGH_WATER_MARK,
  type InjectedConnection,
} from '../../../../../src/security/proxy/inject/injector.js';
import type { InjectRule } from '../../../../../src/security/proxy/inject/rules.js';
import { SecretReader } from '../../../../../src/security/proxy/inject/secret.js';
import {
  TokenRefresher,
  type RefreshOutcome,
} from '../../../../../src/security/proxy/inject/token-refresher.js';
import { selfSignedCert } from '../../../../helpers/proxy-bed.js';
import { startInjectingFront } from './injecting-front.js';

/**
 * The injector on loopback: a client trusting only the container CA, a front that reads the
 * ClientHello as the egress proxy does and hands the socket over, and a real HTTPS server with
 * its own certificate that the injector must verify.
 */

const work = mkdtempSync(join(tmpdir(), 'coi-injector-test-'));
const tokenFile = join(work, 'token.json');
const seen: { authorization?: string; host?: string; body: string }[] = [];
const injected: InjectedConnection[] = [];
const failed: string[] = [];
const refreshed: RefreshOutcome[] = [];
let upstream: Server;
let front: NetServer;
let caCert = '';
let injector: CredentialInjector;

const rule = (source: InjectRule['source']): InjectRule => ({
  domain: 'api.test',
  header: 'Authorization',
  source,
  format: 'Bearer {}',
});
let current = rule({ kind: 'file', path: tokenFile, pointer: '/oauth/token' });

beforeAll(async () => {
  writeFileSync(tokenFile, JSON.stringify({ oauth: { token: 'REAL-1' } }));
  const server = await selfSignedCert(work, ['api.test']);
  upstream = createHttpsServer(server, (req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ authorization: req.headers.authorization, host: req.headers.host, body });
      if (req.headers.authorization === 'Bearer REVOKED') res.statusCode = 401;
      res.end('answered');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (upstream.address() as AddressInfo).port;
  const ca = await createProxyCa(join(work, 'ca'), 'coi-test');
  caCert = readFileSync(ca.cert, 'utf8');
  injector = new CredentialInjector({
    // Its logins are renewed at a closed port: every renewal fails.
    secrets: new SecretReader(
      Date.now,
      new TokenRefresher({ tokenUrl: 'https://localhost:1/token' }),
    ),
    upstreamCa: [server.cert],
    onInjected: (c) => injected.push(c),
    onFailed: (_c, reason) => failed.push(reason),
    onRefreshed: (_c, outcome) => refreshed.push(outcome),
  });
  const injection = { rules: [], issuer: new LeafIssuer(ca) };
  front = await startInjectingFront(injector, injection, () => ({
    rule: current,
    port: upstreamPort,
  }));
}, 30_000);

afterAll(() => {
  upstream?.close();
  front?.close();
  rmSync(work, { recursive: true, force: true });
});

function call(
  opts: { host?: string; body?: string; servername?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: (front.address() as AddressInfo).port,
        servername: opts.servername ?? 'api.test',
        ca: caCert,
        method: 'POST',
        path: '/v1/messages',
        headers: { host: opts.host ?? 'api.test', authorization: 'Bearer SENTINEL' },
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body ?? 'hello');
  });
}

describe('CredentialInjector', () => {
  it('replaces the header with the host-side secret and verifies the real server', async () => {
    expect(await call({ body: 'the prompt' })).toEqual({ status: 200, body: 'answered' });
    expect(seen.at(-1)).toEqual({
      authorization: 'Bearer REAL-1',
      host: 'api.test',
      body: 'the prompt',
    });
    expect(injected.at(-1)).toMatchObject({ container: 'coi-test', name: 'api.test' });
  });

  it("buffers STREAM_HIGH_WATER_MARK on the container's and the server's TLS streams", async () => {
    // Private: the streams are the injector's own; Node's 16 KiB default made big answers slow.
    const { http, agent } = injector as unknown as { http: HttpServer; agent: Agent };
    const container = new Promise<number[]>((resolve) =>
      http.once(
        'request',
        (req: { socket: { readableHighWaterMark: number; writableHighWaterMark: number } }) =>
          resolve([req.socket.readableHighWaterMark, req.socket.writableHighWaterMark]),
      ),
    );
    await call();
    const kept = Object.values(agent.freeSockets).flat();
    expect(kept.length).toBeGreaterThan(0);
    const server = kept.map((s) => [s!.readableHighWaterMark, s!.writableHighWaterMark]);
    expect(await container).toEqual([STREAM_HIGH_WATER_MARK, STREAM_HIGH_WATER_MARK]);
    expect(new Set(server.flat())).toEqual(new Set([STREAM_HIGH_WATER_MARK]));
  });

  it('reads the file again for each request (a token refreshed on the host)', async () => {
    writeFileSync(tokenFile, JSON.stringify({ oauth: { token: 'REAL-2' } }));
    await call();
    expect(seen.at(-1)?.authorization).toBe('Bearer REAL-2');
  });

  it('refuses a Host that is not the TLS name, sending nothing on', async () => {
    const before = seen.length;
    const answer = await call({ host: 'other.test' });
    expect(answer.status).toBe(421);
    expect(seen.length).toBe(before);
    expect(failed.at(-1)).toContain('"other.test" is not the TLS name api.test');
  });

  it('answers 502 when the secret cannot be read, naming the source and not a value', async () => {
    const before = seen.length;
    current = rule({ kind: 'command', command: 'exit 3' });
    const answer = await call();
    current = rule({ kind: 'file', path: tokenFile, pointer: '/oauth/token' });
    expect(answer.status).toBe(502);
    expect(answer.body).toContain('`exit 3` failed');
    expect(seen.length).toBe(before);
  });

  it('refuses to send the secret to a server whose certificate is not for the name', async () => {
    const before = seen.length;
    // The front hands the connection over for any name; the real server's cert is for api.test.
    const answer = await call({ servername: 'evil.test', host: 'evil.test' });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatch(/evil\.test: .*(altnames|match)/i);
    expect(seen.length).toBe(before);
  });

  it('an expired host login it cannot renew: a warning, and the request goes on with it', async () => {
    const login = join(work, 'expired.json');
    writeFileSync(login, JSON.stringify({ o: { at: 'EXPIRED', rt: 'RT', exp: Date.now() - 1 } }));
    current = rule({ kind: 'file', path: login, pointer: '/o/at', refresh: refresh() });
    const answer = await call();
    current = rule({ kind: 'file', path: tokenFile, pointer: '/oauth/token' });
    expect(answer.status).toBe(200);
    expect(seen.at(-1)?.authorization).toBe('Bearer EXPIRED');
    expect(refreshed).toEqual([{ ok: false, reason: expect.stringContaining('localhost:1') }]);
  });

  it('passes a 401 on, and renews that login before the next request (not retried)', async () => {
    refreshed.length = 0;
    const login = join(work, 'revoked.json');
    writeFileSync(
      login,
      JSON.stringify({ o: { at: 'REVOKED', rt: 'RT', exp: Date.now() + 3.6e6 } }),
    );
    current = rule({ kind: 'file', path: login, pointer: '/o/at', refresh: refresh() });
    const before = seen.length;
    expect((await call()).status).toBe(401);
    expect(seen.length).toBe(before + 1);
    expect(refreshed).toEqual([]);
    await call();
    current = rule({ kind: 'file', path: tokenFile, pointer: '/oauth/token' });
    expect(refreshed).toHaveLength(1);
  });
});

function refresh() {
  return { tokenUrl: 'unused', clientId: 'c', refreshPointer: '/o/rt', expiresAtPointer: '/o/exp' };
}
