import type { Socket } from 'node:net';
import { looksLikeTls, scanClientHello } from './client-hello.js';
import { looksLikeHttp, scanHttpHead } from './http-head.js';

/** What a client sent first: the name it asks for, and the bytes to pass on to the server. */
export type ClientHead =
  | { protocol: 'tls' | 'http'; name: string | undefined; bytes: Buffer }
  | { protocol: 'tls' | 'http' | undefined; unreadable: string };

/** Classifies the bytes read so far; undefined: more are needed. */
export function scanClientHead(data: Buffer): ClientHead | undefined {
  if (data.length === 0) return undefined;
  if (looksLikeTls(data)) {
    const hello = scanClientHello(data);
    if (hello.state === 'incomplete') return undefined;
    if (hello.state === 'invalid') return { protocol: 'tls', unreadable: hello.reason };
    return { protocol: 'tls', name: hello.serverName, bytes: data };
  }
  if (looksLikeHttp(data)) {
    const head = scanHttpHead(data);
    if (head.state === 'incomplete') return undefined;
    if (head.state === 'invalid') return { protocol: 'http', unreadable: head.reason };
    return { protocol: 'http', name: head.host, bytes: Buffer.concat([head.head, head.rest]) };
  }
  return { protocol: undefined, unreadable: 'neither a TLS ClientHello nor an HTTP request' };
}

/**
 * Reads from a fresh connection until its head can be classified (or `timeoutMs` passes, or it
 * closes). The socket is left paused with nothing read past what the head carries.
 */
export function readClientHead(socket: Socket, timeoutMs: number): Promise<ClientHead> {
  return new Promise((resolve) => {
    let data: Buffer = Buffer.alloc(0);
    const finish = (head: ClientHead) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.pause();
      resolve(head);
    };
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const head = scanClientHead(data);
      if (head) finish(head);
    };
    const onEnd = () => finish({ protocol: undefined, unreadable: 'closed before naming a host' });
    const timer = setTimeout(
      () => finish({ protocol: undefined, unreadable: `sent no request within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.on('data', onData);
    socket.once('end', onEnd);
  });
}
