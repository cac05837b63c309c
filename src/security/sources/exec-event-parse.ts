/**
 * The lines `assets/proc-events.pl` prints: one exec in a container, its subscription, or a note
 * that the kernel dropped events. Anything else (a line cut short, a future field's type) is
 * undefined and skipped by the caller (fields it does not know, such as the `uid` and `exe` of
 * older scripts, are ignored; `fds` that do not read as three links or nulls are as if absent).
 */

export interface ExecEvent {
  kind: 'exec';
  /** When the kernel saw the exec, in ns of CLOCK_MONOTONIC (`process.hrtime.bigint()`'s clock). */
  at: bigint;
  pid: number;
  ppid: number;
  /** Process start in ms since boot (the clock of `readStart`). */
  startMs: number;
  /**
   * The host uid owning /proc/<pid> at the exec (see readProcOwner); undefined when the reader
   * did not send it (gone by then, or an older reader).
   */
  owner?: number;
  container: string;
  argv: string[];
  /**
   * The links of fds 0-2 as the program got them (a closed one absent); undefined from a reader
   * that does not send them (`fds`), which leaves them to be read from /proc.
   */
  stdio?: Partial<Record<0 | 1 | 2, string>>;
}

export type ProcEventLine = ExecEvent | { kind: 'ready'; filtered: boolean } | { kind: 'lost' };

/** USER_HZ, the unit of `start` (as in /proc/<pid>/stat). */
const TICKS_PER_SECOND = 100;
const TS_DIGITS = /^\{"ts":(\d+),/;

export function parseProcEventLine(line: string): ProcEventLine | undefined {
  // The '' after each chunk's last newline, among others: a failed JSON.parse throws, and a
  // throw costs more than parsing a line.
  if (!line.startsWith('{')) return undefined;
  // ts is nanoseconds and overflows a double's precision: its digits are taken for BigInt.
  const ts = TS_DIGITS.exec(line)?.[1];
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.ready === true) return { kind: 'ready', filtered: v.filtered === true };
  if (v.lost === true) return { kind: 'lost' };
  const { pid, ppid, start, owner, container, argv, fds } = v;
  if (
    ts === undefined ||
    !isInteger(pid) ||
    !isInteger(ppid) ||
    !isInteger(start) ||
    typeof container !== 'string' ||
    container === '' ||
    !Array.isArray(argv) ||
    !argv.every((a) => typeof a === 'string')
  )
    return undefined;
  return {
    kind: 'exec',
    at: BigInt(ts),
    pid,
    ppid,
    startMs: (start * 1000) / TICKS_PER_SECOND,
    owner: isInteger(owner) ? owner : undefined,
    container,
    argv: argv as string[],
    stdio: stdioOf(fds),
  };
}

/** `"fds":[<fd 0>, <fd 1>, <fd 2>]`, each a link or null. */
function stdioOf(fds: unknown): ExecEvent['stdio'] {
  if (!Array.isArray(fds) || fds.length !== 3) return undefined;
  const stdio: Partial<Record<0 | 1 | 2, string>> = {};
  for (const fd of [0, 1, 2] as const) {
    const target: unknown = fds[fd];
    if (typeof target === 'string') stdio[fd] = target;
    else if (target !== null) return undefined;
  }
  return stdio;
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}
