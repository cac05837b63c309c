import type { IncusClient } from './client.js';
import { errorFromEnvelope, IncusError, IncusNotFoundError } from './errors.js';
import { parseProgress, type OperationProgress } from './operation-progress.js';
import type { IncusOperation } from './interfaces.js';
import type { OperationTracker } from './operation-tracker.js';
import { OPERATION_FINAL_STATUS, OPERATION_SUCCESS, type OperationMetadata } from './types.js';

export interface WaitOptions {
  /** Give up after this long (the operation keeps running); undefined waits for ever. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** How often `onProgress` polls when no event stream tracks operations. */
const PROGRESS_POLL_MS = 1000;

/** A background task on the daemon: creation, start, exec, image import, … */
export class Operation<M = Record<string, unknown> | null> implements IncusOperation<M> {
  /** The tracker's epoch when this object was made: equal later means no event was missed. */
  private readonly trackedEpoch: number | undefined;

  constructor(
    private readonly client: IncusClient,
    public metadata: OperationMetadata<M>,
  ) {
    this.trackedEpoch = client.operationTracker?.liveEpoch();
  }

  get id(): string {
    return this.metadata.id;
  }

  get done(): boolean {
    return this.metadata.status_code >= OPERATION_FINAL_STATUS;
  }

  /**
   * Waits until the operation ends and returns its final state; a failure throws with the
   * failed operation (its `metadata.return`, `err`) attached. With a tracker attached to the
   * client the final state comes from the events stream (nothing is lost, no connection is
   * held); otherwise from `/wait`, reading a failed operation back at once because `/wait`
   * drops its metadata (it lives ~5 s after ending).
   */
  async wait(opts: WaitOptions = {}): Promise<OperationMetadata<M>> {
    if (this.done) return this.settle(this.metadata);
    const tracker = this.client.operationTracker;
    const known = tracker?.final(this.id);
    if (known) return this.settle(known as OperationMetadata<M>);
    return tracker ? this.waitTracked(tracker, opts) : this.waitHttp(opts);
  }

  /**
   * Calls `listener` with each progress report (image unpack, download, publish, …) until the
   * operation ends or the returned function is called. Uses the tracker's events, else polls.
   */
  onProgress(listener: (progress: OperationProgress) => void): () => void {
    const report = (meta: OperationMetadata<unknown>) => {
      const progress = parseProgress(meta.metadata);
      if (progress) listener(progress);
    };
    const tracker = this.client.operationTracker;
    if (tracker) {
      const unwatch = tracker.watch(this.id, {
        update: (meta) => {
          report(meta);
          if (meta.status_code >= OPERATION_FINAL_STATUS) unwatch();
        },
        gap: () => undefined,
      });
      return unwatch;
    }
    const timer = setInterval(() => {
      this.refresh().then(
        (meta) => {
          report(meta);
          if (this.done) clearInterval(timer);
        },
        () => clearInterval(timer),
      );
    }, PROGRESS_POLL_MS);
    return () => clearInterval(timer);
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

  private waitTracked(tracker: OperationTracker, opts: WaitOptions): Promise<OperationMetadata<M>> {
    return new Promise<OperationMetadata<M>>((resolve, reject) => {
      const httpAbort = new AbortController();
      let httpStarted = false;
      let finished = false;
      const finish = (outcome: () => OperationMetadata<M>) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        unwatch();
        httpAbort.abort();
        try {
          resolve(outcome());
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      };
      // Fallback when events may have been missed (stream down, or reconnected since).
      const viaHttp = () => {
        if (httpStarted || finished) return;
        httpStarted = true;
        this.waitHttp({ signal: httpAbort.signal }).then(
          (meta) => finish(() => meta),
          (err: unknown) =>
            finish(() => {
              throw err;
            }),
        );
      };
      const unwatch = tracker.watch(this.id, {
        update: (meta) => {
          if (meta.status_code >= OPERATION_FINAL_STATUS)
            finish(() => this.settle(meta as OperationMetadata<M>));
          else if (!this.done) this.metadata = meta as OperationMetadata<M>;
        },
        gap: viaHttp,
      });
      const onAbort = () =>
        finish(() => {
          throw opts.signal?.reason instanceof Error
            ? opts.signal.reason
            : new IncusError('wait aborted', 0);
        });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const { timeoutMs } = opts;
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(
              () =>
                finish(() => {
                  throw this.timedOut(timeoutMs);
                }),
              timeoutMs,
            );
      if (opts.signal?.aborted) onAbort();
      if (this.trackedEpoch === undefined || this.trackedEpoch !== tracker.liveEpoch()) viaHttp();
    });
  }

  private async waitHttp(opts: WaitOptions): Promise<OperationMetadata<M>> {
    const timeout =
      opts.timeoutMs === undefined ? -1 : Math.max(1, Math.ceil(opts.timeoutMs / 1000));
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
    // The wait's own deadline says just this; an operation that failed on a deadline of its own
    // (a clean stop that did not finish: "Failed shutting down instance…: context deadline
    // exceeded") comes back in the same envelope and keeps its message.
    if (opts.timeoutMs !== undefined && /^(context )?deadline exceeded$/i.test(env.error))
      throw this.timedOut(opts.timeoutMs);
    const recovered =
      this.client.operationTracker?.final(this.id) ?? (await this.refresh().catch(() => undefined));
    if (recovered && recovered.status_code >= OPERATION_FINAL_STATUS) {
      return this.settle(recovered as OperationMetadata<M>);
    }
    throw errorFromEnvelope(env.error, env.error_code, this.metadata);
  }

  private timedOut(timeoutMs: number): IncusError {
    return new IncusError(
      `timed out after ${timeoutMs} ms waiting for "${this.metadata.description}"`,
      504,
    );
  }

  private settle(meta: OperationMetadata<M>): OperationMetadata<M> {
    this.metadata = meta;
    if (meta.status_code !== OPERATION_SUCCESS) {
      throw errorFromEnvelope(meta.err || meta.status, meta.status_code, meta);
    }
    return meta;
  }
}
