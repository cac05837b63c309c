import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { parseMessage } from '../../src/security/dns/wire.js';
import { run } from '../../src/shared/run.js';

/**
 * What the egress proxy's test and bench stand on: an upstream DNS server that answers every name
 * under `.test` with one address, and HTTPS/HTTP servers with a self-signed certificate made here.
 */

/**
 * Answers every A query for a name under .test with `address` (or with the name's own address,
 * when `addressOf` has one: asked per query, so it may name an address known only later), TTL 60
 * or the name's `ttlOf`, on 127.0.0.1. Other names are NXDOMAIN, without a SOA.
 */
export async function startFakeUpstream(
  address: string,
  addressOf: (name: string) => string | undefined = () => undefined,
  ttlOf: (name: string) => number = () => 60,
): Promise<UdpSocket> {
  const upstream = createSocket('udp4');
  upstream.on('message', (query, peer) => {
    const question = parseMessage(query).questions[0]!;
    const answered = addressOf(question.name) ?? address;
    const known = question.name.endsWith('.test');
    const answer = known && question.type === 'A';
    const header = Buffer.from(query.subarray(0, 12));
    header.writeUInt16BE(0x8180 | (known ? 0 : 3), 2);
    header.writeUInt16BE(answer ? 1 : 0, 6);
    header.writeUInt32BE(0, 8); // no authority or additional records (dig sends an EDNS OPT)
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(1, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(ttlOf(question.name), 6);
    rr.writeUInt16BE(4, 10);
    answered.split('.').forEach((octet, i) => rr.writeUInt8(Number(octet), 12 + i));
    let end = 12;
    while (query[end]! !== 0) end += query[end]! + 1;
    const reply = Buffer.concat([
      header,
      query.subarray(12, end + 5),
      answer ? rr : Buffer.alloc(0),
    ]);
    upstream.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => upstream.bind(0, '127.0.0.1', () => resolve()));
  return upstream;
}

/** A self-signed certificate for `names` (the first is its CN) in `dir`: cert.pem, key.pem. */
export async function selfSignedCert(
  dir: string,
  names: string[],
): Promise<{ cert: string; key: string }> {
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  const san = names.map((n) => `DNS:${n}`).join(',');
  const subject = `/CN=${names[0]}`;
  await run('openssl', [
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', subject],
    ...['-addext', `subjectAltName=${san}`, '-keyout', key, '-out', cert],
  ]);
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(MB, 0x61);

/**
 * Answers `ok <Host>` (telling `seen` the Host), or `/mb/<n>` with n MiB. Every answer closes its
 * connection, so each request is a new one — unless `keepAlive`: then only an answer to a path
 * ending in `?close` does (or one to a client that asks, as Node's server does).
 */
function answer(seen: (host: string, req: IncomingMessage) => void, keepAlive: boolean) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host ?? '';
    seen(host, req);
    const [path = '', query] = (req.url ?? '').split('?');
    if (!keepAlive || query === 'close') res.setHeader('Connection', 'close');
    const mb = /^\/mb\/(\d+)$/.exec(path);
    if (!mb) {
      res.end(`ok ${host}`);
      return;
    }
    let left = Number(mb[1]);
    res.setHeader('Content-Length', left * MB);
    const more = () => {
      while (left > 0) {
        left -= 1;
        if (!res.write(CHUNK)) return void res.once('drain', more);
      }
      res.end();
    };
    more();
  };
}

/**
 * Answers an upgrade request (telling `seen`) `101 Switching Protocols` and echoes every byte
 * after it: a WebSocket stand-in that needs no WebSocket library.
 */
function echoUpgrade(seen: (host: string, req: IncomingMessage) => void) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    seen(req.headers.host ?? '', req);
    socket.on('error', () => socket.destroy());
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${req.headers.upgrade}\r\n\r\n`,
    );
    socket.write(head);
    socket.pipe(socket);
  };
}

/**
 * HTTPS servers on `https` ports and HTTP ones on `http` ports of `address`; the HTTPS ones echo
 * after an upgrade. `keepAlive`: see `answer`.
 */
export async function startWebServers(
  address: string,
  tls: { cert: string; key: string },
  ports: { https: number[]; http: number[] },
  seen: (host: string, req: IncomingMessage) => void = () => undefined,
  { keepAlive = false }: { keepAlive?: boolean } = {},
): Promise<Server[]> {
  const answers = answer(seen, keepAlive);
  const servers = [
    ...ports.https.map(
      (port) => [createHttpsServer(tls, answers).on('upgrade', echoUpgrade(seen)), port] as const,
    ),
    ...ports.http.map((port) => [createHttpServer(answers), port] as const),
  ];
  await Promise.all(
    servers.map(
      ([server, port]) =>
        new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, address, () => resolve());
        }),
    ),
  );
  return servers.map(([server]) => server);
}
