import { readCgroupProcs } from '../../security/sources/cgroup-procs.js';
import {
  containerOfCgroup,
  PROC,
  readCommand,
  readCpuSeconds,
  readName,
  readRssBytes,
  readText,
  readUid,
} from '../../security/sources/proc-read.js';
import { CoiError } from '../../shared/errors.js';
import { CGROUP_ROOT } from '../top/cgroup.js';
import { rate } from '../top/rows.js';
import type { SlotProcess } from './slot-view-types.js';

/** Where the processes are read: the host's /proc and cgroup tree (fixture trees in tests). */
export interface SlotProcessPaths {
  proc?: string;
  cgroupRoot?: string;
}

/** Turns a host uid into the user it is inside the container. */
export type UserNamer = (hostUid: number) => string;

interface IdRange {
  Isuid: boolean;
  Hostid: number;
  Nsid: number;
  Maprange: number;
}

/** Keys that may hold the map a container runs with (Incus leaves `last_state` as `[]`). */
const IDMAP_KEYS = ['volatile.idmap.current', 'volatile.last_state.idmap'];

function uidRanges(config: Record<string, string>): IdRange[] {
  for (const key of IDMAP_KEYS) {
    try {
      const parsed: unknown = JSON.parse(config[key] ?? '[]');
      const ranges = Array.isArray(parsed) ? (parsed as IdRange[]).filter((r) => r.Isuid) : [];
      if (ranges.length > 0) return ranges;
    } catch {
      // Not a map: try the next key.
    }
  }
  return [];
}

/**
 * The container's uid map and its `/etc/passwd` make a namer: a host uid in the map reads as the
 * passwd name of its container uid, else as that uid; a host uid outside the map reads as
 * `host:<uid>`.
 */
export function userNamer(config: Record<string, string>, passwd: string): UserNamer {
  const ranges = uidRanges(config);
  const names = new Map<number, string>();
  for (const line of passwd.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid && /^\d+$/.test(uid)) names.set(Number(uid), name);
  }
  return (hostUid) => {
    const range = ranges.find((r) => hostUid >= r.Hostid && hostUid < r.Hostid + r.Maprange);
    if (!range) return `host:${hostUid}`;
    const uid = hostUid - range.Hostid + range.Nsid;
    return names.get(uid) ?? String(uid);
  };
}

interface Reading {
  cpuSeconds: number;
  at: number;
}

/**
 * Reads a container's processes from the host (its cgroup's `cgroup.procs`, then each pid's
 * /proc files), never from inside it. CPU % is over the time since the previous `read`.
 */
export class SlotProcessSampler {
  private previous = new Map<number, Reading>();

  constructor(
    private readonly container: string,
    private readonly nameUser: UserNamer,
    private readonly paths: SlotProcessPaths = {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Busiest first; the pid breaks ties. A process gone meanwhile is left out. */
  read(): SlotProcess[] {
    const proc = this.paths.proc ?? PROC;
    const at = this.now();
    const next = new Map<number, Reading>();
    const rows: SlotProcess[] = [];
    for (const pid of readCgroupProcs(this.container, this.paths.cgroupRoot ?? CGROUP_ROOT)) {
      const cpuSeconds = readCpuSeconds(pid, proc);
      const rssBytes = readRssBytes(pid, proc);
      if (cpuSeconds === undefined || rssBytes === undefined) continue;
      next.set(pid, { cpuSeconds, at });
      const before = this.previous.get(pid);
      const uid = readUid(pid, proc);
      rows.push({
        pid,
        user: uid === undefined ? '' : this.nameUser(uid),
        cpuPercent: before ? rate(before.cpuSeconds, cpuSeconds, (at - before.at) / 1000) * 100 : 0,
        rssBytes,
        command: readCommand(pid, proc) || readName(pid, proc) || '',
      });
    }
    this.previous = next;
    return rows.sort((a, b) => b.cpuPercent - a.cpuPercent || a.pid - b.pid);
  }
}

export class ProcessKillError extends CoiError {}

/**
 * Sends SIGTERM to a host pid, only while it still belongs to `container` (a pid the list
 * showed may have exited and been reused by another process since).
 */
export function killSlotProcess(
  container: string,
  pid: number,
  opts: { proc?: string; kill?: (pid: number, signal: NodeJS.Signals) => void } = {},
): void {
  const cgroup = readText(`${opts.proc ?? PROC}/${pid}/cgroup`);
  if (cgroup === undefined || containerOfCgroup(cgroup) !== container)
    throw new ProcessKillError(`process ${pid} is no longer in ${container}: nothing was killed`);
  try {
    (opts.kill ?? process.kill)(pid, 'SIGTERM');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') throw new ProcessKillError(`process ${pid} has already exited`);
    if (code === 'EPERM')
      throw new ProcessKillError(
        `not allowed to signal process ${pid} of ${container}: run coi tui as root (sudo) to kill container processes from the host`,
      );
    throw err;
  }
}
