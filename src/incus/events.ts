import type WebSocket from 'ws';
import type { IncusClient } from './client.js';
import { IncusError, IncusUnavailableError } from './errors.js';
import type {
  DaemonEvent,
  EventType,
  GapEvent,
  IncusEvent,
  KnownLifecycleAction,
  LifecycleEvent,
} from './event-types.js';
import type { EventsService } from './interfaces.js';

export interface BackoffOptions {
  /** First retry delay (default 250 ms); doubles per failed attempt up to `maxMs`. */
  initialMs?: number;
  maxMs?: number;
}

export interface EventStreamOptions {
  /** Event types to receive; default lifecycle and operation (logging is noisy, ask for it). */
  types?: EventType[];
  /** Events of every project instead of the client's one. */
  allProjects?: boolean;
  backoff?: BackoffOptions;
  /**
   * The daemon pings every 10 s; with no ping for this long the connection is taken as dead and
   * re-dialled (default 35 s).
   */
  heartbeatTimeoutMs?: number;
  /** Events an async iterator buffers for a slow consumer before it drops them (and yields a gap). */
  maxQueued?: number;
}

export type StreamState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export type EventListener = (event: IncusEvent) => void;

const DEFAULT_TYPES: EventType[] = ['lifecycle', 'operation'];
const DAEMON_TYPES = new Set<string>(['lifecycle', 'operation', 'logging']);

/** Parses one websocket message; undefined for anything that is not a daemon event. */
export function decodeEvent(data: string): DaemonEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const event = parsed as { type?: unknown; metadata?: unknown };
  if (typeof event.type !== 'string' || !DAEMON_TYPES.has(event.type)) return undefined;
  if (!event.metadata || typeof event.metadata !== 'object') return undefined;
  return parsed as DaemonEvent;
}

/** Type guard for a lifecycle event, optionally of given actions. */
export function isLifecycle<A extends KnownLifecycleAction>(
  event: IncusEvent,
  ...actions: A[]
): event is LifecycleEvent<A> {
  return (
    event.type === 'lifecycle' &&
    (actions.length === 0 || (actions as string[]).includes(event.metadata.action))
  );
}

/** The instance a lifecycle event is about (also for snapshot, exec and file events). */
export function eventInstance(event: LifecycleEvent): string | undefined {
  const match = /^\/1\.0\/instances\/([^/?]+)/.exec(event.metadata.source);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** The delay before reconnect attempt `attempt` (0-based): exponential with ±20 % jitter. */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const initial = opts.initialMs ?? 250;
  const max = opts.maxMs ?? 30_000;
  const base = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * One `/1.0/events` websocket as a typed stream: callbacks via `subscribe`, or `for await`.
 * After the first successful `connect()`, a dropped connection is re-dialled with exponential
 * backoff until `close()`, and each reconnect emits a `gap` event so consumers resynchronise.
 */
export class EventStream implements AsyncIterable<IncusEvent>, EventsService {
  private ws: WebSocket | undefined;
  private listeners = new Set<EventListener>();
  private stateListeners = new Set<(state: StreamState) => void>();
  private current: StreamState = 'idle';
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private lostAt: Date | undefined;
  private lostReason = '';
  private connecting: Promise<void> | undefined;
  /** Counts connections; changes whenever events may have been missed. */
  private epochCounter = 0;

  constructor(
    private readonly client: IncusClient,
    private readonly options: EventStreamOptions = {},
  ) {}

  get state(): StreamState {
    return this.current;
  }

  /** Increases on every (re)connection; equal values mean no events were missed in between. */
  get epoch(): number {
    return this.epochCounter;
  }

  /** Whether this stream asked the daemon for events of `type`. */
  receives(type: EventType): boolean {
    return (this.options.types ?? DEFAULT_TYPES).includes(type);
  }

  get endpoint(): string {
    return this.client.endpoint;
  }

  /**
   * Opens the websocket; resolves once the daemon accepted it. The first connection failing
   * rejects (IncusUnavailableError) without retrying; later drops are retried in the background.
   */
  connect(): Promise<void> {
    if (this.current === 'closed')
      return Promise.reject(new IncusError('event stream is closed', 0));
    if (this.current === 'open' || this.current === 'reconnecting') return Promise.resolve();
    this.connecting ??= this.dial().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Calls `listener` for every event (and gap) until the returned function is called. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStateChange(listener: (state: StreamState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  [Symbol.asyncIterator](): AsyncIterator<IncusEvent> {
    return this.iterate();
  }

  /** An async iterator over events for which `accept` is true (gaps are always passed on). */
  iterate(
    accept: (event: IncusEvent) => boolean = () => true,
  ): AsyncIterator<IncusEvent> & AsyncIterable<IncusEvent> {
    const maxQueued = this.options.maxQueued ?? 10_000;
    const queue: IncusEvent[] = [];
    let waiting: ((result: IteratorResult<IncusEvent>) => void) | undefined;
    let finished = false;
    const finish = () => {
      finished = true;
      unsubscribe();
      unwatchState();
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
    };
    const unsubscribe = this.subscribe((event) => {
      if (event.type !== 'gap' && !accept(event)) return;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: event, done: false });
        return;
      }
      if (queue.length >= maxQueued) {
        const first = queue[0];
        const since = first && first.type !== 'gap' ? first.timestamp : new Date().toISOString();
        queue.length = 0;
        queue.push(gap(since, new Date().toISOString(), 'consumer too slow: events dropped'));
      }
      queue.push(event);
    });
    const unwatchState = this.onStateChange((state) => {
      if (state === 'closed') finish();
    });
    if (this.current === 'closed') finish();
    const iterator: AsyncIterator<IncusEvent> & AsyncIterable<IncusEvent> = {
      next: () => {
        const next = queue.shift();
        if (next) return Promise.resolve({ value: next, done: false });
        if (finished) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          waiting = resolve;
        });
      },
      return: () => {
        finish();
        queue.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Resolves with the first event matching `predicate`; rejects after `timeoutMs`. */
  waitFor<E extends IncusEvent>(
    predicate: (event: IncusEvent) => event is E,
    timeoutMs: number,
  ): Promise<E>;
  waitFor(predicate: (event: IncusEvent) => boolean, timeoutMs: number): Promise<IncusEvent>;
  waitFor(predicate: (event: IncusEvent) => boolean, timeoutMs: number): Promise<IncusEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new IncusError(`no matching Incus event within ${timeoutMs} ms`, 504));
      }, timeoutMs);
      const unsubscribe = this.subscribe((event) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(event);
      });
    });
  }

  /** Closes the websocket, stops reconnecting and ends every iterator. */
  async close(): Promise<void> {
    if (this.current === 'closed') return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const ws = this.ws;
    this.ws = undefined;
    this.setState('closed');
    this.listeners.clear();
    this.stateListeners.clear();
    if (ws && ws.readyState !== ws.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.terminate();
      });
    }
  }

  private path(): string {
    const types = (this.options.types ?? DEFAULT_TYPES).join(',');
    return this.client.path('/1.0/events', {
      type: types,
      'all-projects': this.options.allProjects ? 'true' : undefined,
      project: this.options.allProjects ? undefined : this.client.options.project,
    });
  }

  /** One connection attempt; resolves when open, rejects when it fails before opening. */
  private dial(): Promise<void> {
    this.setState(this.epochCounter === 0 ? 'connecting' : 'reconnecting');
    return new Promise<void>((resolve, reject) => {
      let opened = false;
      const ws = this.client.transport.websocket(this.path());
      this.ws = ws;
      let failure = '';
      let watchdog: NodeJS.Timeout | undefined;
      ws.on('open', () => {
        opened = true;
        watchdog = setTimeout(() => {
          failure = 'no ping from the daemon';
          ws.terminate();
        }, this.options.heartbeatTimeoutMs ?? 35_000);
        this.epochCounter++;
        this.attempt = 0;
        this.setState('open');
        if (this.lostAt) {
          this.emit(gap(this.lostAt.toISOString(), new Date().toISOString(), this.lostReason));
          this.lostAt = undefined;
        }
        resolve();
      });
      ws.on('ping', () => watchdog?.refresh());
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        const event = decodeEvent(data.toString());
        if (event) this.emit(event);
      });
      ws.on('unexpected-response', (_req, res) => {
        failure = `HTTP ${res.statusCode} on ${this.path()}`;
        res.resume();
        ws.terminate();
      });
      ws.on('error', (err) => {
        failure ||= err.message;
      });
      ws.on('close', (code) => {
        clearTimeout(watchdog);
        if (this.ws === ws) this.ws = undefined;
        if (this.current === 'closed') {
          if (!opened) reject(new IncusError('event stream closed while connecting', 0));
          return;
        }
        if (!opened && this.epochCounter === 0) {
          this.setState('idle');
          reject(
            new IncusUnavailableError(
              this.endpoint,
              `events websocket failed: ${failure || `close ${code}`}`,
            ),
          );
          return;
        }
        if (opened) {
          this.lostAt ??= new Date();
          this.lostReason = failure || `websocket closed (${code})`;
        }
        this.scheduleReconnect();
        if (!opened) resolve();
      });
    });
  }

  private scheduleReconnect(): void {
    this.setState('reconnecting');
    const delay = backoffDelay(this.attempt++, this.options.backoff);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      // A failed attempt schedules the next one itself; only close() ends the loop.
      if (this.current !== 'closed') this.dial().catch(() => undefined);
    }, delay);
  }

  private emit(event: IncusEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A throwing consumer must not break delivery to the others.
      }
    }
  }

  private setState(state: StreamState): void {
    if (this.current === state) return;
    this.current = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}

function gap(since: string, until: string, reason: string): GapEvent {
  return { type: 'gap', since, until, reason };
}
