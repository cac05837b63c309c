import type { IncusClient } from './client.js';
import { errorFromEnvelope, IncusError, IncusNotFoundError } from './errors.js';
import { OPERATION_FINAL_STATUS, OPERATION_SUCCESS, type OperationMetadata } from './types.js';

export interface WaitOptions {
  /** Give up after this long (the operation keeps running); undefined waits for ever. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A background task on the daemon: creation, start, exec, image import, … */
export class Operation<M = Record<string, unknown> | null> {
  constructor(
    private readonly client: IncusClient,
    public metadata: OperationMetadata<M>,
  ) {}

  get id(): string {
    return this.metadata.id;
  }

  get done(): boolean {
    return this.metadata.status_code >= OPERATION_FINAL_STATUS;
  }

  /**
   * Waits until the operation ends and returns its final state; a failure throws with the
   * failed operation (its `metadata.return`, `err`) attached. `/wait` drops a failed operation's
   * metadata, so on failure the operation is read back at once (it lives ~5 s after ending).
   */
  async wait(opts: WaitOptions = {}): Promise<OperationMetadata<M>> {
    if (this.done) return this.settle(this.metadata);
    const timeout = opts.timeoutMs === undefined ? -1 : Math.max(1, Math.ceil(opts.timeoutMs / 1000));
    const res = await this.client.raw('GET', `/1.0/operations/${this.id}/wait`, {
      query: { timeout },
      signal: opts.signal,
    });
    const env = (await res.body.json()) as {
      type: string;
      error: string;
      error_code: number;
      metadata: OperationMetadata<M>;
    };
    if (env.type === 'sync') return this.settle(env.metadata);
    if (/deadline exceeded/i.test(env.error)) {
      throw new IncusError(`timed out after ${opts.timeoutMs} ms waiting for "${this.metadata.description}"`, 504);
    }
    const recovered = await this.refresh().catch(() => undefined);
    if (recovered && recovered.status_code >= OPERATION_FINAL_STATUS) return this.settle(recovered);
    throw errorFromEnvelope(env.error, env.error_code, this.metadata);
  }

  /** Reads the operation's current state (only possible until ~5 s after it ended). */
  async refresh(): Promise<OperationMetadata<M>> {
    this.metadata = await this.client.get<OperationMetadata<M>>(`/1.0/operations/${this.id}`);
    return this.metadata;
  }

  /** Cancels the operation; only possible when the daemon says `may_cancel`. */
  async cancel(): Promise<void> {
    try {
      await this.client.sync('DELETE', `/1.0/operations/${this.id}`);
    } catch (err) {
      if (!(err instanceof IncusNotFoundError)) throw err;
    }
  }

  private settle(meta: OperationMetadata<M>): OperationMetadata<M> {
    this.metadata = meta;
    if (meta.status_code !== OPERATION_SUCCESS) {
      throw errorFromEnvelope(meta.err || meta.status, meta.status_code, meta);
    }
    return meta;
  }
}
