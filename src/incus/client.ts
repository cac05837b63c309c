import type { Readable } from 'node:stream';
import { errorFromEnvelope, IncusError } from './errors.js';
import { Operation } from './operation.js';
import type { OperationTracker } from './operation-tracker.js';
import { resolveSocketPath } from './socket.js';
import { UnixTransport, type Transport, type TransportResponse } from './transport.js';
import type { Envelope, OperationMetadata } from './types.js';

export interface IncusClientOptions {
  /** Incus project (`?project=`); the daemon's default when absent. */
  project?: string;
  /** Cluster member for member-scoped calls (`?target=`). */
  target?: string;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

export interface SyncResult<T> {
  metadata: T;
  etag: string | undefined;
}

/**
 * The core of the typed client: decodes the envelope of every answer (never trusting the HTTP
 * status alone), maps errors to typed ones, and turns async answers into Operation objects.
 * Resource modules (instances, images, …) are thin typed methods over this.
 */
export class IncusClient {
  /** Set by `trackOperations`: operations then resolve through the events stream. */
  operationTracker: OperationTracker | undefined;

  constructor(
    readonly transport: Transport,
    readonly options: IncusClientOptions = {},
  ) {}

  /** A client of the local daemon over its unix socket. */
  static local(
    options: IncusClientOptions = {},
    env: NodeJS.ProcessEnv = process.env,
  ): IncusClient {
    return new IncusClient(new UnixTransport(resolveSocketPath(env)), options);
  }

  get endpoint(): string {
    return this.transport.endpoint;
  }

  /** Same transport, other project or target (the operation tracker follows the same project). */
  withOptions(options: IncusClientOptions): IncusClient {
    const client = new IncusClient(this.transport, { ...this.options, ...options });
    if (client.options.project === this.options.project)
      client.operationTracker = this.operationTracker;
    return client;
  }

  /** Makes `Operation.wait` and `onProgress` use the tracker's event stream (undefined: detach). */
  trackOperations(tracker: OperationTracker | undefined): void {
    this.operationTracker = tracker;
  }

  path(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    const all: Query = { project: this.options.project, target: this.options.target, ...query };
    for (const [k, v] of Object.entries(all)) {
      if (v !== undefined && v !== '') params.set(k, String(v));
    }
    const qs = params.toString();
    return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
  }

  /** The raw HTTP exchange, for endpoints whose body is not an envelope (files, exports, logs). */
  async raw(method: string, path: string, opts: RequestOptions = {}): Promise<TransportResponse> {
    const body = opts.body;
    const isStream = body !== null && typeof body === 'object' && 'pipe' in (body as object);
    const encoded =
      body === undefined
        ? undefined
        : Buffer.isBuffer(body) || typeof body === 'string' || isStream
          ? (body as string | Buffer | Readable)
          : JSON.stringify(body);
    const headers: Record<string, string> = { ...opts.headers };
    if (encoded !== undefined && !headers['content-type'] && !headers['Content-Type']) {
      headers['content-type'] = 'application/json';
    }
    return this.transport.request({
      method,
      path: this.path(path, opts.query),
      headers,
      body: encoded,
      signal: opts.signal,
    });
  }

  /** Sends a request and decodes the envelope; error envelopes become typed errors. */
  async envelope<T>(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<{ envelope: Envelope<T>; response: TransportResponse }> {
    const response = await this.raw(method, path, opts);
    const text = await response.body.text();
    let envelope: Envelope<T>;
    try {
      envelope = JSON.parse(text) as Envelope<T>;
    } catch {
      throw new IncusError(
        `unexpected non-JSON answer from Incus to ${method} ${path} (HTTP ${response.status}): ${text.slice(0, 200)}`,
        response.status,
      );
    }
    if (envelope.type === 'error') {
      const err = errorFromEnvelope(envelope.error, envelope.error_code || response.status);
      throw this.transport.explain?.(err) ?? err;
    }
    return { envelope, response };
  }

  /** A synchronous call: the metadata and the ETag, if any. */
  async sync<T>(method: string, path: string, opts: RequestOptions = {}): Promise<SyncResult<T>> {
    const { envelope, response } = await this.envelope<T>(method, path, opts);
    if (envelope.type !== 'sync') {
      throw new IncusError(`expected a sync answer to ${method} ${path}, got ${envelope.type}`, 0);
    }
    const etag = response.headers.etag;
    return { metadata: envelope.metadata, etag: Array.isArray(etag) ? etag[0] : etag };
  }

  async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.sync<T>('GET', path, { query })).metadata;
  }

  /** A plain-text resource (logs); an error envelope still becomes a typed error. */
  async text(path: string, query?: Query): Promise<string> {
    const response = await this.raw('GET', path, { query });
    const text = await response.body.text();
    if (response.status < 400) return text;
    let envelope: Partial<Envelope<unknown>> = {};
    try {
      envelope = JSON.parse(text) as Envelope<unknown>;
    } catch {
      // not an envelope: report the status and the start of the body below
    }
    throw errorFromEnvelope(
      envelope.error || `HTTP ${response.status}: ${text.slice(0, 200)}`,
      envelope.error_code || response.status,
    );
  }

  /** An asynchronous call: the operation it started. */
  async operation<M = Record<string, unknown> | null>(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<Operation<M>> {
    const { envelope } = await this.envelope<OperationMetadata<M>>(method, path, opts);
    if (envelope.type !== 'async') {
      throw new IncusError(`expected an operation from ${method} ${path}, got ${envelope.type}`, 0);
    }
    return new Operation<M>(this, envelope.metadata);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
