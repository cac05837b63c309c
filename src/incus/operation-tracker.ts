import type { EventStream } from './events.js';
import { OPERATION_FINAL_STATUS, type OperationMetadata } from './types.js';

export interface OperationWatcher {
  /** Every state the stream reports for the operation (progress, then the final one). */
  update(meta: OperationMetadata<unknown>): void;
  /** The stream reconnected: events for the operation may have been missed. */
  gap(): void;
}

/**
 * Follows operations through the `operation` events of an event stream, and keeps the final
 * state of each for `retainMs`. The daemon itself forgets a finished operation after ~5 s and
 * its `/wait` drops a failed operation's metadata (an exec's exit code), so waiting through the
 * tracker loses neither. Attach it with `client.trackOperations(tracker)`.
 */
export class OperationTracker {
  private readonly finals = new Map<string, { meta: OperationMetadata<unknown>; at: number }>();
  private readonly watchers = new Map<string, Set<OperationWatcher>>();
  private readonly unsubscribe: () => void;

  constructor(
    readonly events: EventStream,
    private readonly retainMs = 120_000,
  ) {
    this.unsubscribe = events.subscribe((event) => {
      if (event.type === 'gap') {
        for (const set of [...this.watchers.values()]) for (const w of [...set]) w.gap();
      } else if (event.type === 'operation') {
        this.record(event.metadata);
      }
    });
  }

  /** The stream's epoch while it is connected (with operation events); undefined otherwise. */
  liveEpoch(): number | undefined {
    return this.events.state === 'open' && this.events.receives('operation')
      ? this.events.epoch
      : undefined;
  }

  /** The final state of a recently finished operation, if the stream saw it end. */
  final(id: string): OperationMetadata<unknown> | undefined {
    return this.finals.get(id)?.meta;
  }

  watch(id: string, watcher: OperationWatcher): () => void {
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (set.size === 0) this.watchers.delete(id);
    };
  }

  /** Stops following the stream (the stream itself stays open). */
  detach(): void {
    this.unsubscribe();
    this.watchers.clear();
    this.finals.clear();
  }

  private record(meta: OperationMetadata<unknown>): void {
    // Events for one operation can arrive out of order: never let a late "Running" undo an end.
    if (this.finals.has(meta.id)) return;
    if (meta.status_code >= OPERATION_FINAL_STATUS) {
      const now = Date.now();
      this.finals.set(meta.id, { meta, at: now });
      for (const [id, entry] of this.finals) {
        if (now - entry.at <= this.retainMs) break;
        this.finals.delete(id);
      }
    }
    for (const watcher of [...(this.watchers.get(meta.id) ?? [])]) watcher.update(meta);
  }
}
