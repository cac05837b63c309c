import { existsSync, readdirSync } from 'node:fs';
import type { Alert } from '../alert.js';
import type { ExecEvent } from './exec-event-parse.js';
import type { IoCounters } from './io-stat-parse.js';
import { classifyStdioSockets, socketInode } from '../detectors/stdio-socket.js';
import {
  PROC,
  containerOfCgroup,
  readArgv,
  readIo,
  readSockets,
  readParentPid,
  readStart,
  readStdio,
  readText,
  readUnixSocketInodes,
  uptimeMs,
} from './proc-read.js';
import { RelayScan, mayBeRelayed } from './relay-scan.js';

/**
 * Finds the processes of watched containers from the host: a readdir of /proc on each tick where
 * the kernel handed out a new PID, and for each new PID one read of its cgroup file
 * (`…/lxc.payload.<name>`). Container processes are then
 * re-read for a while, because a PID first seen between fork and exec still shows its parent's
 * command line, and a reverse shell moves its stdio onto the socket only after it connected:
 * every tick during their first second, every `settledMs` afterwards. Each examination also
 * adds the process's storage I/O (/proc/<pid>/io) to its container's running total, which works
 * where cgroup I/O accounting does not (cgroup v1 on loop-backed pools counts nothing); the bytes
 * of a process's last moments before it exits are missed. Nothing runs inside the container.
 * Where the kernel reports each exec (ExecEventSource), `observeExec` examines the new program at
 * once, with the command line read at its exec: a process that lives less than a pass is seen too,
 * and the passes then find nothing new about it (one process, one alert).
 */

export interface ProcessSighting {
  container: string;
  pid: number;
  /** The parent's pid (0 when unknown). */
  ppid: number;
  command: string;
  argv: string[];
  /**
   * The command line this process showed before (its parent's, seen between fork and exec, or
   * its own before an exec chain such as `sh -c 'exec grep …'`); undefined when first seen.
   */
  previousArgv?: string[];
  /** How long ago the process started (ms); the detection latency of what it does at start. */
  ageMs: number;
  /** Who owned /proc/<pid> at the exec, when its event said (ExecEvent.owner). */
  owner?: number;
}

export interface ProcessScannerOptions {
  /** Containers whose processes are examined; others are only attributed. */
  watched(container: string): boolean;
  /** A process of a watched container, first seen or with a new command line. */
  onCommand(sighting: ProcessSighting): void;
  /** A process with stdin/stdout/stderr on a connected socket (a `stdio-socket` alert). */
  onStdioSocket(sighting: ProcessSighting, alert: Alert): void;
  /** A shell fed by a socket holder through pipes, fifos or a pty (a relay or bind shell). */
  onRelay(sighting: ProcessSighting, alert: Alert): void;
  intervalMs?: number;
  settledMs?: number;
  proc?: string;
}

interface Tracked {
  container?: string;
  command?: string;
  argv?: string[];
  startMs?: number;
  /** The parent when first examined. */
  ppid?: number;
  nextCheckMs: number;
  /**
   * Socket inodes on stdio that need no more looking at: reported, or unix sockets (journald's
   * stream sockets under every service), which never become network ones.
   */
  settledSockets: Set<number>;
  /** I/O counters at the last examination. */
  io?: IoCounters;
  /** A relay alert was raised for this process. */
  relayReported?: boolean;
}

const YOUNG_MS = 1000;
/**
 * A relayed shell is fed from its first moments (the relay connects first, or within
 * milliseconds): only a shell's first 10 s are checked, so long-lived interactive shells do not
 * cost a read of the container's whole fd table every `settledMs`.
 */
const RELAY_WINDOW_MS = 10_000;
/**
 * A shell that may be relayed but is not fed by a connection yet at its exec (the pipeline's `nc`
 * or the script's `listen()` comes a moment later) is looked at again this soon, not only at the
 * next pass.
 */
const RELAY_RECHECK_MS = [10, 30, 60];
const LIST_AT_LEAST_MS = 1000;
/** A process this old when first examined predates the watch: its earlier I/O is not counted. */
const BASELINE_AGE_MS = 3000;

export class ProcessScanner {
  /** Every PID seen, attributed or not; the container ones also in `inContainers`. */
  private readonly tracked = new Map<number, Tracked>();
  private readonly inContainers = new Map<number, Tracked>();
  private lastPid?: string;
  private listedAt = -Infinity;
  private execEvents = false;
  private bootClockOffsetMs?: number;
  /** Within a scan pass that listed /proc already; false between passes (an exec event). */
  private listedThisPass = false;
  private readonly io = new Map<string, IoCounters>();
  private readonly relays: RelayScan;
  private timer?: NodeJS.Timeout;
  private readonly rechecks = new Set<NodeJS.Timeout>();
  private readonly proc: string;
  private readonly intervalMs: number;
  private readonly settledMs: number;
  /** Scans done and their total time, for the daemon's self-report. */
  readonly stats = { scans: 0, busyMs: 0 };

  constructor(private readonly opts: ProcessScannerOptions) {
    this.proc = opts.proc ?? PROC;
    this.intervalMs = opts.intervalMs ?? 100;
    this.settledMs = opts.settledMs ?? 2000;
    this.relays = new RelayScan(this.proc);
  }

  start(): void {
    if (this.timer) return;
    this.scan();
    this.timer = setInterval(() => this.scan(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const timer of this.rechecks) clearTimeout(timer);
    this.rechecks.clear();
  }

  /** One pass; public so a caller can force one (e.g. right after a container is attached). */
  scan(): void {
    const began = performance.now();
    const now = uptimeMs(this.proc);
    this.bootClockOffsetMs = now - performance.now();
    if (this.execEvents) {
      // Every exec is reported: the listing only finds forks that never exec and the exits.
      if (now - this.listedAt >= LIST_AT_LEAST_MS) this.list(now);
    } else {
      // The last PID the kernel handed out: unchanged means no process (or thread) was created,
      // so the listing can wait, up to LIST_AT_LEAST_MS to notice the ones that exited.
      const lastPid = readText(`${this.proc}/loadavg`)?.trim().split(' ').at(-1);
      if (
        lastPid === undefined ||
        lastPid !== this.lastPid ||
        now - this.listedAt >= LIST_AT_LEAST_MS
      )
        this.list(now);
      this.lastPid = lastPid;
    }
    this.relays.clear();
    for (const [pid, entry] of this.inContainers)
      if (now >= entry.nextCheckMs && this.opts.watched(entry.container!))
        this.examine(pid, entry, now);
    this.listedThisPass = false;
    this.stats.scans += 1;
    this.stats.busyMs += performance.now() - began;
  }

  /**
   * Whether the kernel's exec events reach `observeExec` (ExecEventSource runs): then the host's
   * new processes cost nothing until a slow listing, instead of a cgroup read each.
   */
  useExecEvents(on: boolean): void {
    this.execEvents = on;
  }

  /** Attributes new PIDs to their container and forgets the ones that exited. */
  private list(now: number): void {
    this.listedAt = now;
    this.listedThisPass = true;
    let names: string[];
    try {
      names = readdirSync(this.proc);
    } catch {
      // /proc unreadable for a moment: the next tick lists again.
      return;
    }
    const alive = new Set<number>();
    for (const name of names) {
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      alive.add(pid);
      if (this.tracked.has(pid)) continue;
      const cgroup = readText(`${this.proc}/${pid}/cgroup`);
      if (cgroup === undefined) continue;
      const entry = {
        container: containerOfCgroup(cgroup),
        nextCheckMs: 0,
        settledSockets: new Set<number>(),
      };
      this.tracked.set(pid, entry);
      if (entry.container !== undefined) this.inContainers.set(pid, entry);
    }
    for (const pid of this.tracked.keys())
      if (!alive.has(pid)) {
        this.tracked.delete(pid);
        this.inContainers.delete(pid);
      }
  }

  /** A process that just called exec, as the kernel reported it. */
  observeExec(event: ExecEvent): void {
    if (!this.opts.watched(event.container)) return;
    let entry = this.tracked.get(event.pid);
    // Unknown, or known only from a listing (no start time yet), or a reused PID: a new entry.
    if (entry?.startMs !== event.startMs) {
      entry = {
        container: event.container,
        startMs: event.startMs,
        ppid: event.ppid,
        nextCheckMs: 0,
        settledSockets: new Set<number>(),
      };
      this.tracked.set(event.pid, entry);
      this.inContainers.set(event.pid, entry);
    }
    // What the last pass read about the container's sockets and fds is stale by now.
    this.relays.clear();
    this.examine(event.pid, entry, this.bootClockMs(), event);
  }

  /** Examines a possibly relayed shell again at RELAY_RECHECK_MS after its exec, fresh. */
  private recheckSoon(pid: number, entry: Tracked): void {
    for (const ms of RELAY_RECHECK_MS) {
      const timer = setTimeout(() => {
        this.rechecks.delete(timer);
        if (entry.relayReported || this.tracked.get(pid) !== entry) return;
        this.relays.clear();
        this.examine(pid, entry, this.bootClockMs());
      }, ms);
      timer.unref();
      this.rechecks.add(timer);
    }
  }

  /**
   * `uptimeMs` without a read of /proc/uptime per exec: the monotonic clock plus its distance to
   * the boot clock, taken at the last pass (the two differ only by time spent suspended).
   */
  private bootClockMs(): number {
    return this.bootClockOffsetMs === undefined
      ? uptimeMs(this.proc)
      : performance.now() + this.bootClockOffsetMs;
  }

  private drop(pid: number): void {
    this.tracked.delete(pid);
    this.inContainers.delete(pid);
  }

  /** Forgets a container's processes (it stopped), so a restart is examined afresh. */
  forget(container: string): void {
    for (const [pid, entry] of this.inContainers)
      if (entry.container === container) {
        this.tracked.delete(pid);
        this.inContainers.delete(pid);
      }
    this.io.delete(container);
    this.relays.forget(container);
  }

  /** Bytes the container's processes read and wrote since it was first watched (monotonic). */
  ioTotal(container: string): IoCounters {
    return { ...(this.io.get(container) ?? { readBytes: 0, writeBytes: 0 }) };
  }

  /** False when the process is gone. */
  private countIo(pid: number, entry: Tracked, age: number): boolean {
    const now = readIo(pid, this.proc);
    if (!now) return false;
    const before = entry.io ?? (age > BASELINE_AGE_MS ? now : { readBytes: 0, writeBytes: 0 });
    entry.io = now;
    const total = this.io.get(entry.container!) ?? { readBytes: 0, writeBytes: 0 };
    total.readBytes += Math.max(0, now.readBytes - before.readBytes);
    total.writeBytes += Math.max(0, now.writeBytes - before.writeBytes);
    this.io.set(entry.container!, total);
    return true;
  }

  /**
   * With exec events a young process's command line changes only by an exec, which is reported:
   * it is kept. Settled ones are read again (a process may rewrite its own, as setproctitle does).
   */
  private currentArgv(pid: number, entry: Tracked, age: number): string[] | undefined {
    if (this.execEvents && entry.argv && age < YOUNG_MS) return entry.argv;
    return readArgv(pid, this.proc);
  }

  /** `exec`: the kernel's report of the exec that made this examination due, with its argv. */
  private examine(pid: number, entry: Tracked, now: number, exec?: ExecEvent): void {
    entry.startMs ??= readStart(pid, this.proc) ?? now;
    const age = Math.max(0, now - entry.startMs);
    entry.nextCheckMs = age < YOUNG_MS ? 0 : now + this.settledMs;
    // A process gone is dropped now, not examined on every pass until the next listing (found
    // gone by a look that throws nothing: a failed read's error costs ten times more). At its
    // exec a process has done next to no I/O of its own: the passes count it.
    if (!exec && (!existsSync(`${this.proc}/${pid}`) || !this.countIo(pid, entry, age)))
      return this.drop(pid);
    const argv = exec?.argv ?? this.currentArgv(pid, entry, age);
    if (argv === undefined) return this.drop(pid);
    if (argv.length === 0) return;
    const command = argv.join(' ');
    entry.ppid ??= readParentPid(pid, this.proc);
    const sighting = {
      container: entry.container!,
      pid,
      ppid: entry.ppid,
      command,
      argv,
      // The exec's own timestamp is exact; a start time in /proc is in 10 ms ticks.
      ageMs: exec ? Number(process.hrtime.bigint() - exec.at) / 1e6 : age,
      owner: exec?.owner,
    };
    if (command !== entry.command) {
      const previousArgv = entry.argv;
      entry.command = command;
      entry.argv = argv;
      this.opts.onCommand({ ...sighting, previousArgv });
    }
    // Most of a test suite's processes are gone by the time their exec is read: one cheap look
    // before the first /proc read spares the failing ones (a thrown error each), and an exec
    // whose fds came with it and hold nothing to look at needs no look at all. The entry stays:
    // a later exec event of this exec chain still folds into it, and the next pass drops it.
    let alive: boolean | undefined;
    const isAlive = () => (alive ??= !exec || existsSync(`${this.proc}/${pid}`));
    // The exec's own links when the reader sent them: what the program got is what counts at
    // its exec (a later change is the passes' to see, as it always was).
    const fds = exec?.stdio ?? (isAlive() ? readStdio(pid, this.proc) : undefined);
    if (!fds) return;
    if (!entry.relayReported && age < RELAY_WINDOW_MS && mayBeRelayed(argv, fds[0]) && isAlive()) {
      const relay = this.relays.check(
        entry.container!,
        { pid, command, argv, stdin: fds[0] },
        () => {
          // The relay may be a fork that never exec'd, which only a listing finds.
          if (!this.listedThisPass) this.list(now);
          return this.pidsOf(entry.container!);
        },
      );
      if (relay) {
        entry.relayReported = true;
        this.opts.onRelay(sighting, relay);
      } else if (exec) this.recheckSoon(pid, entry);
    }
    const inodes = Object.values(fds)
      .map((target) => socketInode(target))
      .filter((inode): inode is number => inode !== undefined && !entry.settledSockets.has(inode));
    if (inodes.length === 0 || !isAlive()) return;
    const unix = readUnixSocketInodes(pid, this.proc);
    for (const inode of inodes) if (unix.has(inode)) entry.settledSockets.add(inode);
    if (inodes.every((inode) => unix.has(inode))) return;
    const alert = classifyStdioSockets({ pid, command, fds }, readSockets(pid, this.proc));
    if (!alert) return;
    for (const inode of inodes) entry.settledSockets.add(inode);
    this.opts.onStdioSocket(sighting, alert);
  }

  private *pidsOf(container: string): Iterable<number> {
    for (const [pid, entry] of this.inContainers) if (entry.container === container) yield pid;
  }
}
