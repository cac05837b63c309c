import { mkdir, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';

/**
 * One monitor daemon per host user: the daemon listens on a unix socket in ~/.coi/monitor, and
 * whoever can connect to it knows one is running. A socket left by a crashed daemon accepts no
 * connection, so it is removed and taken over. The socket also answers requests with one line:
 * `status` (JSON), and the network tail's `network`, `allow` and `block` (see NetworkControl).
 */

export function ask(path: string, request: string, timeoutMs = 2000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    let reply = '';
    const done = (value: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('connect', () => socket.write(`${request}\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\n')) done(reply.slice(0, reply.indexOf('\n')));
    });
    socket.on('error', () => done(undefined));
    socket.on('end', () => done(reply || undefined));
  });
}

/** Listens on `path`; undefined when another live daemon holds it. */
export async function listenSingleton(
  path: string,
  answer: (request: string) => string | Promise<string>,
): Promise<Server | undefined> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const onConnection = (socket: Socket) => {
    let buffer = '';
    let answered = false;
    socket.on('data', (chunk) => {
      if (answered) return;
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      answered = true;
      void Promise.resolve(answer(buffer.slice(0, end).trim())).then(
        (reply) => socket.end(`${reply}\n`),
        (err: Error) => socket.end(`${JSON.stringify({ error: err.message })}\n`),
      );
    });
    // A client that went away before the answer: nobody is left to tell.
    socket.on('error', () => undefined);
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    const server = createServer(onConnection);
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(path, () => resolve(undefined));
    });
    if (!error) return server;
    if (error.code !== 'EADDRINUSE') throw error;
    if ((await ask(path, 'ping')) !== undefined) return undefined;
    // A stale socket nobody answers on; one that cannot be removed ends in the error below.
    await unlink(path).catch(() => undefined);
  }
  throw new Error(`cannot take over the monitor socket ${path}: remove it and try again`);
}
