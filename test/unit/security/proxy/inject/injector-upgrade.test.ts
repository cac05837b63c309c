import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxyCa, LeafIssuer } from '../../../../../src/security/proxy/inject/ca.js';
import { CredentialInjector } from '../../../../../src/security/proxy/inject/injector.js';
import { SecretReader } from '../../../../../src/security/proxy/inject/secret.js';
import { TokenRefresher } from '../../../../../src/security/proxy/inject/token-refresher.js';
import { selfSignedCert } from '../../../../helpers/proxy-bed.js';
import { startInjectingFront } from './injecting-front.js';

/**
 * Upgrade requests (WebSockets) through the injector on loopback. The real server is a raw TLS
 * stand-in: `GET /ws` with `Upgrade` is answered 101 and every byte after it echoed (its end
 * answered `bye` and an end; `/ws-hold`'s end nothing: it stays half-open), any other request a 403 with a length on a kept connection.
 */

const work = mkdtempSync(join(tmpdir(), 'coi-injector-upgrade-test-'));
const tokenFile = join(work, 'token.json');
/** The request heads the real server got, lower-cased header names. */
const heads: { line: string; headers: Record<string, string> }[] = [];
const upgrades: (string | undefined)[] = [];
const switched = { ended: 0 };
let upstream: Server;
let front: Server;
let caCert = '';

beforeAll(async () => {
  writeFileSync(tokenFile, JSON.stringify({ token: 'REAL' }));
  const tls = await selfSignedCert(work, ['api.test']);
  upstream = createTlsServer({ ...tls, allowHalfOpen: true }, (socket) => serve(socket));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const ca = await createProxyCa(join(work, 'ca'), 'coi-test');
  caCert = readFileSync(ca.cert, 'utf8');
  const injector = new CredentialInjector({
    secrets: new SecretReader(Date.now, new TokenRefresher({ tokenUrl: 'https://localhost:1/' })),
    upstreamCa: [tls.cert],
    onInjected: (_c, upgrade) => upgrades.push(upgrade),
    onFailed: () => undefined,
  });
  const injection = { rules: [], issuer: new LeafIssuer(ca) };
  const rule = {
    domain: 'api.test',
    header: 'Authorization',
    source: { kind: 'file' as const, path: tokenFile, pointer: '/token' },
    format: 'Bearer {}',
  };
  front = await startInjectingFront(
    injector,
    injection,
    () => ({ rule, port: (upstream.address() as AddressInfo).port }),
    { allowHalfOpen: true },
  );
}, 30_000);

afterAll(() => {
  upstream?.close();
  front?.close();
  rmSync(work, { recursive: true, force: true });
});

function serve(socket: TLSSocket): void {
  let buffered = Buffer.alloc(0);
  const onData = (data: Buffer) => {
    buffered = Buffer.concat([buffered, data]);
    for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
      const [line = '', ...fields] = buffered.subarray(0, end).toString('latin1').split('\r\n');
      const rest = buffered.subarray(end + 4);
      buffered = Buffer.alloc(0);
      const headers = Object.fromEntries(
        fields.map((f) => [
          f.slice(0, f.indexOf(':')).toLowerCase(),
          f.slice(f.indexOf(':') + 1).trim(),
        ]),
      );
      heads.push({ line, headers });
      if (/^GET \/ws(-hold)? /.test(line) && headers.upgrade) {
        socket.off('data', onData);
        socket.write(
          'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
            'Sec-WebSocket-Accept: stand-in\r\n\r\n',
        );
        socket.write(rest);
        socket.on('data', (d: Buffer) => socket.write(d));
        socket.on('end', () => {
          switched.ended += 1;
          if (line.startsWith('GET /ws-hold ')) return;
          socket.end('bye');
        });
        return;
      }
      const body = headers.upgrade ? 'refused' : 'plain';
      socket.write(`HTTP/1.1 403 Forbidden\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      buffered = rest;
    }
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
}

/** A TLS connection to the injector trusting only the container CA, and a reader of it. */
async function open(): Promise<{
  socket: TLSSocket;
  tcp: Socket;
  until: (text: string) => Promise<string>;
}> {
  // A TLS socket half-closes as its TCP socket does.
  const tcp = connectTcp({
    host: '127.0.0.1',
    port: (front.address() as AddressInfo).port,
    allowHalfOpen: true,
  });
  const socket = connect({
    socket: tcp,
    servername: 'api.test',
    ca: caCert,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  const waiting: (() => void)[] = [];
  socket.on('data', (d: Buffer) => {
    received += d.toString('latin1');
    waiting.splice(0).forEach((wake) => wake());
  });
  socket.on('end', () => {
    received += '<end>';
    waiting.splice(0).forEach((wake) => wake());
  });
  /** Everything received up to and including `text`, taken off what was received. */
  const until = async (text: string): Promise<string> => {
    while (!received.includes(text)) await new Promise<void>((wake) => waiting.push(wake));
    const at = received.indexOf(text) + text.length;
    const taken = received.slice(0, at);
    received = received.slice(at);
    return taken;
  };
  return { socket, tcp, until };
}

const upgradeRequest = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: api.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
  'Authorization: Bearer SENTINEL\r\n\r\n';

describe('CredentialInjector upgrade requests', () => {
  it('injects the header on the upgrade, relays bytes both ways after 101, passes a half-close', async () => {
    const { socket, until } = await open();
    socket.write(upgradeRequest('/ws'));
    const answer = await until('\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(answer).toContain('Sec-WebSocket-Accept: stand-in');
    expect(heads.at(-1)?.headers).toMatchObject({
      authorization: 'Bearer REAL',
      upgrade: 'websocket',
      connection: 'Upgrade',
    });
    expect(upgrades.at(-1)).toBe('websocket');
    // Not HTTP: the injector must not parse these.
    socket.write(Buffer.from('\x81\x05hello GET / HTTP/1.1\r\n\r\n', 'latin1'));
    expect(await until('\r\n\r\n')).toBe('\x81\x05hello GET / HTTP/1.1\r\n\r\n');
    socket.end();
    expect(await until('<end>')).toBe('bye<end>');
    expect(switched.ended).toBe(1);
    socket.destroy();
  });

  it('keeps HTTP/1.1 going on the connection when the server does not switch', async () => {
    const { socket, until } = await open();
    socket.write(upgradeRequest('/ws-not'));
    expect(await until('refused')).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n[^]*\r\n\r\nrefused$/);
    expect(heads.at(-1)?.headers.authorization).toBe('Bearer REAL');
    socket.write('GET /next HTTP/1.1\r\nHost: api.test\r\n\r\n');
    expect(await until('plain')).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(heads.at(-1)).toMatchObject({
      line: 'GET /next HTTP/1.1',
      headers: { authorization: 'Bearer REAL' },
    });
    expect(upgrades.slice(-2)).toEqual(['websocket', undefined]);
    socket.destroy();
  });

  it('quotes only token characters of the protocol asked for in the audit record', async () => {
    const { socket, until } = await open();
    socket.write(upgradeRequest('/ws-not').replace('websocket', 'web"socket<b>'));
    await until('refused');
    expect(upgrades.at(-1)).toBe('web?socket?b?');
    socket.destroy();
  });

  it('refuses an upgrade whose Host is not the TLS name, sending nothing on', async () => {
    const { socket, until } = await open();
    const before = heads.length;
    socket.write(upgradeRequest('/ws').replace('Host: api.test', 'Host: other.test'));
    expect(await until('<end>')).toMatch(
      /^HTTP\/1\.1 421 [^]*is not the TLS name api\.test\n[^]*<end>$/,
    );
    expect(heads.length).toBe(before);
    socket.destroy();
  });

  it('ends the server side of a switched connection when the container resets it', async () => {
    const { socket, tcp, until } = await open();
    socket.write(upgradeRequest('/ws-hold'));
    await until('\r\n\r\n');
    const ended = switched.ended;
    tcp.resetAndDestroy();
    // Half-open (`/ws-hold`) till then: only the proxy closing its side ends it.
    await expect.poll(() => switched.ended, { timeout: 3000 }).toBe(ended + 1);
  });
});
