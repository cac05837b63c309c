import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { isIP } from 'node:net';

export interface Upstream {
  address: string;
  port: number;
}

/** The first `nameserver` of /etc/resolv.conf (the host's resolver), port 53. */
export async function hostUpstream(path = '/etc/resolv.conf'): Promise<Upstream> {
  const text = await readFile(path, 'utf8').catch((err: Error) => {
    throw new Error(`cannot read ${path} to find the host's DNS resolver: ${err.message}`);
  });
  for (const line of text.split('\n')) {
    const [key, address = ''] = line.trim().split(/\s+/);
    if (key === 'nameserver' && isIP(address.split('%')[0] ?? '')) return { address, port: 53 };
  }
  throw new Error(`${path} names no nameserver; coi's DNS resolver has nowhere to forward to`);
}

/** One query over UDP; rejects after `timeoutMs`. */
export function exchangeUdp(upstream: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(upstream.address) === 6 ? 'udp6' : 'udp4');
    const id = query.readUInt16BE(0);
    const timer = setTimeout(
      () => finish(new Error(`no answer from ${label(upstream)} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const finish = (err: Error | undefined, reply?: Buffer) => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(reply!);
    };
    socket.on('message', (reply) => {
      // A late answer to an earlier query on a reused port is not ours.
      if (reply.length >= 2 && reply.readUInt16BE(0) === id) finish(undefined, reply);
    });
    socket.on('error', (err) => finish(new Error(`${label(upstream)}: ${err.message}`)));
    socket.send(query, upstream.port, upstream.address);
  });
}

/** One query over TCP (two-byte length framing); rejects after `timeoutMs`. */
export function exchangeTcp(upstream: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: upstream.address, port: upstream.port });
    let received: Buffer = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no answer from ${label(upstream)} over TCP in ${timeoutMs} ms`)),
    );
    socket.on('connect', () => socket.write(frame(query)));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const reply = unframe(received);
      if (reply) {
        socket.end();
        resolve(reply.message);
      }
    });
    socket.on('error', (err) => reject(new Error(`${label(upstream)}: ${err.message}`)));
    socket.on('close', () =>
      reject(new Error(`${label(upstream)} closed the TCP connection early`)),
    );
  });
}

export function frame(message: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(message.length);
  return Buffer.concat([length, message]);
}

/** The first framed message in `data` and what follows it, or undefined when incomplete. */
export function unframe(data: Buffer): { message: Buffer; rest: Buffer } | undefined {
  if (data.length < 2) return undefined;
  const length = data.readUInt16BE(0);
  if (data.length < 2 + length) return undefined;
  return { message: data.subarray(2, 2 + length), rest: data.subarray(2 + length) };
}

function label(upstream: Upstream): string {
  return `DNS server ${upstream.address}:${upstream.port}`;
}
