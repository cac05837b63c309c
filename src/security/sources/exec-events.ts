import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseProcEventLine, type ExecEvent } from './exec-event-parse.js';

/** assets/ sits three levels above both src/security/sources/ (tsx) and dist/security/sources/. */
export const PROC_EVENTS_SCRIPT = fileURLToPath(
  new URL('../../../assets/proc-events.pl', import.meta.url),
);
/** native/proc-events.c as `npm run build` compiles it (absent without a C compiler). */
export const COMPILED_READER = fileURLToPath(
  new URL('../../../dist/native/coi-proc-events', import.meta.url),
);
const READY_TIMEOUT_MS = 5000;

export interface ExecEventOptions {
  onExec(event: ExecEvent): void;
  /** The listener stopped after it had started; process starts are then found by the poll only. */
  onFailed(reason: string): void;
  /** The interpreter; tests point it elsewhere to see the failure path. */
  perl?: string;
  /** The compiled reader, tried before perl when it exists; tests point it elsewhere. */
  compiled?: string;
}

/** Which program reads the kernel's events (`coi monitor`'s status names it). */
export type ExecReader = 'compiled' | 'perl';

/** What `coi monitor` and `coi health` show about how process starts are found. */
export interface ExecEventStats {
  /**
   * `events` while the kernel's exec events arrive; otherwise the /proc poll alone finds
   * processes: `off` by the config, `failed` when the events could not be had (or stopped).
   */
  state: 'events' | 'off' | 'failed';
  /** How (kernel-filtered or not), or why not. */
  detail: string;
  /** Exec events in coi containers received so far. */
  execs: number;
  /** Times the kernel dropped events because the receive queue was full. */
  lost: number;
  /** The reader that subscribed; absent until one did (and from daemons older than it). */
  reader?: ExecReader;
}

/**
 * Every exec in a container, by kernel event rather than by poll: a reader (Node cannot open
 * netlink sockets) subscribes to the process-events connector and prints a JSON line per exec,
 * read here from its stdout. The compiled one (native/proc-events.c) when the build made it,
 * else, or when it cannot start (built for another machine), `assets/proc-events.pl` (perl is on
 * every Debian/Ubuntu host): the same lines, at several times the CPU per exec.
 */
export class ExecEventSource {
  private child?: ChildProcess;
  private pending = '';
  private stopped = false;
  readonly stats: ExecEventStats = { state: 'failed', detail: 'not started', execs: 0, lost: 0 };

  constructor(private readonly opts: ExecEventOptions) {}

  /** Resolves once subscribed (true), or false with the reason in `stats.detail`. */
  async start(): Promise<boolean> {
    const compiled = this.opts.compiled ?? COMPILED_READER;
    if (existsSync(compiled)) {
      if (await this.startReader('compiled', compiled, [])) return true;
      if (this.stopped) return false;
    }
    return this.startReader('perl', this.opts.perl ?? 'perl', [PROC_EVENTS_SCRIPT]);
  }

  private startReader(reader: ExecReader, program: string, args: string[]): Promise<boolean> {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-500)));
    child.stdout.setEncoding('utf8');
    return new Promise((resolve) => {
      let settled = false;
      const settle = (listening: boolean, detail: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.stats.state = listening ? 'events' : 'failed';
        this.stats.detail = detail;
        if (listening) this.stats.reader = reader;
        resolve(listening);
      };
      const timer = setTimeout(() => {
        settle(false, `${program} did not subscribe within ${READY_TIMEOUT_MS} ms`);
        child.kill();
      }, READY_TIMEOUT_MS);
      child.stdout.on('data', (chunk: string) =>
        this.consume(chunk, (filtered) =>
          settle(true, filtered ? 'kernel-filtered exec events' : 'all process events'),
        ),
      );
      child.once('error', (err) => settle(false, `cannot run ${program}: ${err.message}`));
      // 'close', not 'exit': by then stderr has been read to its end.
      child.once('close', (code, signal) => {
        const why = stderr.trim() || `${program} exited (${signal ?? `code ${code}`})`;
        if (!settled) return settle(false, why);
        // A reader that never subscribed (the compiled one, perl taking over) is not the source.
        if (this.stats.reader !== reader || this.stats.state !== 'events') return;
        this.stats.state = 'failed';
        this.stats.detail = `stopped: ${why}`;
        if (!this.stopped) this.opts.onFailed(why);
      });
    });
  }

  stop(): void {
    this.stopped = true;
    this.child?.kill();
    this.child = undefined;
  }

  private consume(chunk: string, onReady: (filtered: boolean) => void): void {
    const text = this.pending + chunk;
    const end = text.lastIndexOf('\n') + 1;
    this.pending = text.slice(end);
    for (const line of text.slice(0, end).split('\n')) {
      const event = parseProcEventLine(line);
      if (event?.kind === 'ready') onReady(event.filtered);
      else if (event?.kind === 'lost') this.stats.lost += 1;
      else if (event?.kind === 'exec') {
        this.stats.execs += 1;
        this.opts.onExec(event);
      }
    }
  }
}

/** One phrase for status displays: how process starts are found, and what that misses. */
export function processStartsSummary(stats: ExecEventStats | undefined): string {
  if (stats === undefined) return 'process starts by /proc poll (a daemon of an older coi)';
  if (stats.state === 'events') return `process starts by kernel event (${stats.detail})`;
  return (
    `process starts by /proc poll only (${stats.state === 'off' ? stats.detail : `no kernel events: ${stats.detail}`}); ` +
    'a process shorter than the 100 ms poll may be missed'
  );
}
