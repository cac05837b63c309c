import { Agent, request, type IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import {
  UnixTransport,
  unreachableAs,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';
import type WebSocket from 'ws';

/**
 * The local daemon over node:http, which costs nothing to load where undici takes ~100 ms: for
 * one-shot commands that make a request or two (`coi list`). Websockets, should one be asked
 * for, go through a UnixTransport made then.
 */
export class LightUnixTransport implements Transport {
  private readonly agent = new Agent({ keepAlive: true });
  private sockets: UnixTransport | undefined;

  constructor(readonly socketPath: string) {}

  get endpoint(): string {
    return this.socketPath;
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    try {
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const outgoing = request(
          {
            agent: this.agent,
            socketPath: this.socketPath,
            path: req.path,
            method: req.method,
            headers: { host: 'incus', ...req.headers },
            ...(req.signal ? { signal: req.signal } : {}),
          },
          resolve,
        );
        outgoing.on('error', reject);
        if (req.body === undefined || typeof req.body === 'string' || Buffer.isBuffer(req.body))
          outgoing.end(req.body);
        else pipeline(req.body, outgoing).catch(reject);
      });
      return { status: res.statusCode ?? 0, headers: res.headers, body: withReaders(res) };
    } catch (err) {
      throw unreachableAs(this.endpoint, err);
    }
  }

  websocket(path: string, protocols?: string[]): WebSocket {
    this.sockets ??= new UnixTransport(this.socketPath);
    return this.sockets.websocket(path, protocols);
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await this.sockets?.close();
  }
}

function withReaders(res: IncomingMessage): TransportResponse['body'] {
  const text = async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  return Object.assign(res, { text, json: async () => JSON.parse(await text()) as unknown });
}
