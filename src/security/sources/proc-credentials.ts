import { readlinkSync, statSync } from 'node:fs';
import { PROC, readText } from './proc-read.js';

/**
 * Who a container process runs as, read from the host. /proc shows host uids; a container's own
 * uids come from its init's uid_map (`inside outside count` lines, as the host sees them).
 */

export interface ProcessUids {
  real: number;
  effective: number;
}

export interface UidRange {
  inside: number;
  outside: number;
  count: number;
}

export function readUids(pid: number, proc = PROC): ProcessUids | undefined {
  const status = readText(`${proc}/${pid}/status`);
  const m = status && /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
  return m ? { real: Number(m[1]), effective: Number(m[2]) } : undefined;
}

/**
 * The owner of /proc/<pid>: the effective uid of a process, or its namespace's root for one that
 * is not dumpable (a setuid program). A stat, cheaper than reading `status`: a way to pass over
 * the processes that cannot be root.
 */
export function readProcOwner(pid: number, proc = PROC): number | undefined {
  return statSync(`${proc}/${pid}`, { throwIfNoEntry: false })?.uid;
}

/** The program a process runs, as a path inside its container ('' when gone). */
export function readExe(pid: number, proc = PROC): string {
  try {
    return readlinkSync(`${proc}/${pid}/exe`);
  } catch {
    // Gone, or a kernel thread: no program.
    return '';
  }
}

export function readUidMap(pid: number, proc = PROC): UidRange[] {
  return (readText(`${proc}/${pid}/uid_map`) ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((f) => f.length === 3 && f.every(Number.isInteger))
    .map(([inside, outside, count]) => ({ inside: inside!, outside: outside!, count: count! }));
}

/** The uid inside the container of a host uid; undefined when the container does not map it. */
export function containerUid(hostUid: number, map: readonly UidRange[]): number | undefined {
  const range = map.find((r) => hostUid >= r.outside && hostUid < r.outside + r.count);
  return range && range.inside + (hostUid - range.outside);
}
