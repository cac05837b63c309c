import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { parseHttp1Response, type Http1Response } from './http1-response.js';
import {
  UnixTransport,
  unreachableAs,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';
import type WebSocket from 'ws';

/**
 * The local daemon over a bare socket, one request per connection: node:net is loaded with Node
 * itself, where node:http adds ~10 ms to a first request and undici ~100 ms to load — for
 * one-shot commands that make a request or two (`coi list`). Streamed bodies and websockets,
 * should one be asked for, go through a UnixTransport made then.
 */
export class LightUnixTransport implements Transport {
  private full: UnixTransport | undefined;

  constructor(readonly socketPath: string) {}

  get endpoint(): string {
    return this.socketPath;
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    if (req.body instanceof Readable) return this.fullTransport().request(req);
    try {
      const res = await exchange(this.socketPath, req);
      const text = async () => res.body.toString('utf8');
      const body = Object.assign(Readable.from([res.body]), {
        text,
        json: async () => JSON.parse(await text()) as unknown,
      });
      return { status: res.status, headers: res.headers, body };
    } catch (err) {
      throw unreachableAs(this.endpoint, err);
    }
  }

  websocket(path: string, protocols?: string[]): WebSocket {
    return this.fullTransport().websocket(path, protocols);
  }

  async close(): Promise<void> {
    await this.full?.close();
  }

  private fullTransport(): UnixTransport {
    return (this.full ??= new UnixTransport(this.socketPath));
  }
}

function exchange(socketPath: string, req: TransportRequest): Promise<Http1Response> {
  const body = req.body === undefined ? undefined : Buffer.from(req.body as string | Buffer);
  const headers: Record<string, string> = {
    host: 'incus',
    ...req.headers,
    connection: 'close',
    ...(body ? { 'content-length': String(body.length) } : {}),
  };
  const head =
    `${req.method} ${req.path} HTTP/1.1\r\n` +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('') +
    '\r\n';
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const chunks: Buffer[] = [];
    const settle = (ended: boolean) => {
      try {
        const res = parseHttp1Response(Buffer.concat(chunks), ended);
        if (!res) return;
        socket.destroy();
        resolve(res);
      } catch (err) {
        socket.destroy();
        reject(err as Error);
      }
    };
    const abort = () => socket.destroy(req.signal?.reason as Error);
    req.signal?.addEventListener('abort', abort, { once: true });
    socket.on('close', () => req.signal?.removeEventListener('abort', abort));
    socket.on('connect', () =>
      socket.write(body ? Buffer.concat([Buffer.from(head), body]) : head),
    );
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      settle(false);
    });
    socket.on('end', () => settle(true));
    socket.on('error', reject);
  });
}
