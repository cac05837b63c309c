import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { connectInto } from '../../../../src/security/proxy/relay.js';

const servers: Server[] = [];

async function listen(onSocket: (socket: Socket) => void, highWaterMark?: number): Promise<number> {
  const server = createServer(highWaterMark ? { highWaterMark } : {}, onSocket);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Everything a socket receives until its end, read a chunk at a time with pauses between. */
async function readSlowly(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of socket) {
    chunks.push(chunk as Buffer);
    if (chunks.length % 8 === 0) await sleep(1);
  }
  return Buffer.concat(chunks);
}

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe('connectInto', () => {
  // The default high-water mark: reading pauses and resumes with a reader slower than the writer.
  // One this high: writes return true while still pending, so a read must never land where a
  // pending write's bytes are.
  it.each([
    ['the default', undefined],
    ['a 64 MiB', 64 << 20],
  ])(
    'writes every byte it reads to the other socket, in order, and ends it (%s high-water mark)',
    async (_, highWaterMark) => {
      const payload = randomBytes(9 * 1024 * 1024 + 123);
      const upstreamPort = await listen((socket) => socket.end(payload));
      // `to` as the proxy has it: accepted by a server.
      let upstream: Socket | undefined;
      const proxyPort = await listen((to) => {
        upstream = connectInto(to, { host: '127.0.0.1', port: upstreamPort });
      }, highWaterMark);
      const reader = connect(proxyPort, '127.0.0.1');
      const received = readSlowly(reader);
      const got = await received;
      expect(upstream?.readableEnded).toBe(true);
      expect(got.length).toBe(payload.length);
      expect(got.equals(payload)).toBe(true);
    },
  );
});
