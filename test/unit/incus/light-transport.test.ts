import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IncusClient } from '../../../src/incus/client.js';
import { IncusUnavailableError } from '../../../src/incus/errors.js';
import { LightUnixTransport } from '../../../src/incus/light-transport.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempSocket(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coi-light-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'unix.socket');
}

/** A fake daemon on a unix socket that answers every request with the request it got. */
async function echoDaemon(socket: string): Promise<void> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.setHeader('etag', 'v1');
      res.end(
        JSON.stringify({
          type: 'sync',
          status_code: 200,
          metadata: { method: req.method, url: req.url, body, type: req.headers['content-type'] },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

describe('LightUnixTransport', () => {
  it('carries the client’s requests over the socket, bodies and headers both ways', async () => {
    const socket = tempSocket();
    await echoDaemon(socket);
    const client = new IncusClient(new LightUnixTransport(socket), { project: 'p1' });
    cleanups.push(() => client.close());
    expect(await client.get('/1.0/instances', { recursion: 2 })).toEqual({
      method: 'GET',
      url: '/1.0/instances?project=p1&recursion=2',
      body: '',
    });
    const posted = await client.sync('PATCH', '/1.0/instances/c1', { body: { config: {} } });
    expect(posted).toEqual({
      metadata: {
        method: 'PATCH',
        url: '/1.0/instances/c1?project=p1',
        body: '{"config":{}}',
        type: 'application/json',
      },
      etag: 'v1',
    });
  });

  it('reads a chunked answer, as the daemon sends its longer ones', async () => {
    const socket = tempSocket();
    const big = 'x'.repeat(200_000);
    const server: Server = createServer((_req, res) => {
      res.write(
        JSON.stringify({ type: 'sync', status_code: 200, metadata: { big } }).slice(0, 100),
      );
      setTimeout(
        () =>
          res.end(JSON.stringify({ type: 'sync', status_code: 200, metadata: { big } }).slice(100)),
        20,
      );
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = new IncusClient(new LightUnixTransport(socket));
    cleanups.push(() => client.close());
    expect(await client.get('/1.0/instances')).toEqual({ big });
  });

  it('says the daemon is unreachable when nothing listens on the socket', async () => {
    const socket = tempSocket();
    const client = new IncusClient(new LightUnixTransport(socket));
    cleanups.push(() => client.close());
    await expect(client.get('/1.0')).rejects.toThrow(IncusUnavailableError);
  });
});
