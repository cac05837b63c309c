import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import type WebSocket from 'ws';
import type { ClientOptions } from 'ws';
import { IncusUnavailableError, type IncusError } from './errors.js';
import { certificateMismatch, untrustedClient, type TlsFiles } from './tls-errors.js';

// undici and ws take ~100 ms to load: required when a transport first needs them, so that a
// command that never talks to Incus (or only through LightUnixTransport) does not pay for them.
const require = createRequire(import.meta.url);
const undici = () => require('undici') as typeof Undici;
const webSocketClass = () => require('ws') as typeof WebSocket;

export interface TransportRequest {
  method: string;
  /** API path with query string, e.g. `/1.0/instances?recursion=1`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable & { json(): Promise<unknown>; text(): Promise<string> };
}

/** How the client reaches a daemon: the unix socket, or HTTPS with client certificates. */
export interface Transport {
  /** Human-readable endpoint for messages (socket path or https URL). */
  readonly endpoint: string;
  request(req: TransportRequest): Promise<TransportResponse>;
  websocket(path: string, protocols?: string[]): WebSocket;
  close(): Promise<void>;
  /** An error answer said the way this transport's user can act on (the default: as it is). */
  explain?(err: IncusError): IncusError;
}

const unreachableCodes = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EACCES',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
  'EPIPE',
]);

/** The daemon could not be reached: IncusUnavailableError; any other failure as it is. */
export function unreachableAs(endpoint: string, err: unknown): unknown {
  const cause = connectionCause(err);
  return cause.code ? new IncusUnavailableError(endpoint, cause.message) : err;
}

function connectionCause(err: unknown): { code?: string; message: string } {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 4; depth++) {
    const e = cur as { code?: string; message?: string; cause?: unknown };
    if (e.code && unreachableCodes.has(e.code)) {
      return { code: e.code, message: `${e.code} ${e.message ?? ''}`.trim() };
    }
    cur = e.cause;
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

abstract class UndiciTransport implements Transport {
  abstract readonly endpoint: string;
  protected abstract readonly agent: Dispatcher;
  protected abstract readonly origin: string;
  protected abstract wsUrl(path: string): string;
  protected abstract wsOptions(): ClientOptions;

  async request(req: TransportRequest): Promise<TransportResponse> {
    try {
      const res = await undici().request(this.origin + req.path, {
        dispatcher: this.agent,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
        signal: req.signal,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (err) {
      throw this.failure(err);
    }
  }

  /** What a request that got no answer throws. */
  protected failure(err: unknown): unknown {
    return unreachableAs(this.endpoint, err);
  }

  websocket(path: string, protocols?: string[]): WebSocket {
    const WebSocketClass = webSocketClass();
    return new WebSocketClass(this.wsUrl(path), protocols, this.wsOptions());
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

export class UnixTransport extends UndiciTransport {
  protected readonly agent: Undici.Agent;
  protected readonly origin = 'http://incus';

  constructor(readonly socketPath: string) {
    super();
    const { Agent } = undici();
    this.agent = new Agent({
      connect: { socketPath },
      keepAliveTimeout: 30_000,
      connections: 16,
    });
  }

  get endpoint(): string {
    return this.socketPath;
  }

  protected wsUrl(path: string): string {
    return `ws+unix://${this.socketPath}:${path}`;
  }

  protected wsOptions(): ClientOptions {
    return { perMessageDeflate: false };
  }
}

export interface TlsCredentials {
  /** Client certificate and key, PEM. */
  cert: string;
  key: string;
  /** The server's certificate, PEM: pinned, so the self-signed certificate is trusted exactly. */
  serverCert: string;
  /** Where they were read, for messages. */
  files?: TlsFiles;
}

export class TlsTransport extends UndiciTransport {
  protected readonly agent: Undici.Agent;
  protected readonly origin: string;

  constructor(
    readonly url: string,
    private readonly creds: TlsCredentials,
  ) {
    super();
    this.origin = url.replace(/\/+$/, '');
    const { Agent } = undici();
    this.agent = new Agent({
      connect: {
        cert: creds.cert,
        key: creds.key,
        ca: creds.serverCert,
        // The pinned certificate is the trust anchor; its CN/SAN rarely names the host we dial.
        checkServerIdentity: () => undefined,
      },
      keepAliveTimeout: 30_000,
      connections: 16,
    });
  }

  get endpoint(): string {
    return this.origin;
  }

  protected override failure(err: unknown): unknown {
    return certificateMismatch(this.endpoint, this.creds.files ?? {}, err) ?? super.failure(err);
  }

  explain(err: IncusError): IncusError {
    return untrustedClient(this.endpoint, this.creds.files ?? {}, err);
  }

  protected wsUrl(path: string): string {
    return this.origin.replace(/^https:/, 'wss:') + path;
  }

  protected wsOptions(): ClientOptions {
    return {
      perMessageDeflate: false,
      cert: this.creds.cert,
      key: this.creds.key,
      ca: this.creds.serverCert,
      checkServerIdentity: () => undefined,
    } as unknown as ClientOptions;
  }
}
