import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { IoCounters } from './io-stat-parse.js';
import { parseProcNet, parseProcNetUnixInodes, type ProcNetSocket } from './proc-net-parse.js';

/**
 * Small synchronous readers of host /proc for the process source. They return undefined when the
 * process has gone (a race every scanner has to expect), never throw for that.
 */

export const PROC = '/proc';
/** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every Linux architecture coi runs on. */
const TICKS_PER_SECOND = 100;

/** The container a host process belongs to, from its /proc/<pid>/cgroup (`…/lxc.payload.<name>`). */
export function containerOfCgroup(text: string): string | undefined {
  return /\/lxc\.payload\.([^/\s]+)/.exec(text)?.[1];
}

/** Every host process that runs in a container, with the container's name. */
export function readContainerPids(proc = PROC): Array<{ pid: number; container: string }> {
  let entries: string[];
  try {
    entries = readdirSync(proc);
  } catch {
    // No /proc to list: no processes to attribute.
    return [];
  }
  const found: Array<{ pid: number; container: string }> = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const cgroup = readText(`${proc}/${pid}/cgroup`);
    const container = cgroup && containerOfCgroup(cgroup);
    if (container) found.push({ pid, container });
  }
  return found;
}

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // Gone or not ours to read: undefined is the answer (see above).
    return undefined;
  }
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    // Gone or not ours to read: undefined is the answer (see above).
    return undefined;
  }
}

/** argv; empty for kernel threads and zombies. */
export function readArgv(pid: number, proc = PROC): string[] | undefined {
  const raw = readText(`${proc}/${pid}/cmdline`);
  if (raw === undefined) return undefined;
  const trimmed = raw.replace(/\0+$/, '');
  return trimmed === '' ? [] : trimmed.split('\0');
}

/** argv joined by spaces; '' for kernel threads and zombies. */
export function readCommand(pid: number, proc = PROC): string | undefined {
  return readArgv(pid, proc)?.join(' ');
}

export function readStdio(pid: number, proc = PROC): Partial<Record<0 | 1 | 2, string>> {
  const fds: Partial<Record<0 | 1 | 2, string>> = {};
  for (const fd of [0, 1, 2] as const) {
    const target = readLink(`${proc}/${pid}/fd/${fd}`);
    if (target !== undefined) fds[fd] = target;
  }
  return fds;
}

/** The fields of `/proc/<pid>/stat` after the command name: [0] is field 3 (state). */
function statFields(pid: number, proc: string): string[] | undefined {
  const stat = readText(`${proc}/${pid}/stat`);
  // The command name (field 2) may contain spaces and parentheses: split after its last ')'.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** When a process started, in ms since boot (the clock of `uptimeMs`). */
export function readStart(pid: number, proc = PROC): number | undefined {
  const ticks = Number(statFields(pid, proc)?.[19]);
  return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
}

/** CPU time a process has used, user plus system, in seconds. */
export function readCpuSeconds(pid: number, proc = PROC): number | undefined {
  const fields = statFields(pid, proc);
  // utime and stime are fields 14 and 15.
  const ticks = Number(fields?.[11]) + Number(fields?.[12]);
  return Number.isFinite(ticks) ? ticks / TICKS_PER_SECOND : undefined;
}

/** The kernel's name of a process (`comm`, at most 15 characters). */
export function readName(pid: number, proc = PROC): string | undefined {
  const stat = readText(`${proc}/${pid}/stat`);
  return stat?.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
}

/** A process's parent pid (0 when it is gone). */
export function readParentPid(pid: number, proc = PROC): number {
  const ppid = Number(statFields(pid, proc)?.[1]);
  return Number.isInteger(ppid) ? ppid : 0;
}

export function readUid(pid: number, proc = PROC): number | undefined {
  const status = readText(`${proc}/${pid}/status`);
  const uid = status && /^Uid:\s+(\d+)/m.exec(status)?.[1];
  return uid ? Number(uid) : undefined;
}

/** Resident memory (VmRSS) in bytes; 0 for a zombie, which has none. */
export function readRssBytes(pid: number, proc = PROC): number | undefined {
  const status = readText(`${proc}/${pid}/status`);
  if (status === undefined) return undefined;
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

/** Storage-layer bytes a process read and wrote (/proc/<pid>/io; page-cache hits are not counted). */
export function readIo(pid: number, proc = PROC): IoCounters | undefined {
  const text = readText(`${proc}/${pid}/io`);
  const read = text && /^read_bytes:\s+(\d+)/m.exec(text)?.[1];
  const write = text && /^write_bytes:\s+(\d+)/m.exec(text)?.[1];
  return read && write ? { readBytes: Number(read), writeBytes: Number(write) } : undefined;
}

/** Milliseconds since boot, the clock of `readStart`. */
export function uptimeMs(proc = PROC): number {
  return Number(readText(`${proc}/uptime`)?.split(' ')[0] ?? 0) * 1000;
}

export type SocketProtocol = 'tcp' | 'tcp6' | 'udp' | 'udp6';

/** TCP and UDP sockets (v4 and v6) of the network namespace `pid` lives in, by protocol. */
export function readSocketTables(
  pid: number,
  proc = PROC,
): Array<{ protocol: SocketProtocol; socket: ProcNetSocket }> {
  return (['tcp', 'tcp6', 'udp', 'udp6'] as const).flatMap((protocol) => {
    const text = readText(`${proc}/${pid}/net/${protocol}`);
    return text === undefined ? [] : parseProcNet(text).map((socket) => ({ protocol, socket }));
  });
}

export function readSockets(pid: number, proc = PROC): ProcNetSocket[] {
  return readSocketTables(pid, proc).map((row) => row.socket);
}

/**
 * The unix socket inodes of the network namespace `pid` lives in. Cheap beside the TCP and UDP
 * tables, which the kernel makes by walking the host's whole socket hash.
 */
export function readUnixSocketInodes(pid: number, proc = PROC): Set<number> {
  return parseProcNetUnixInodes(readText(`${proc}/${pid}/net/unix`) ?? '');
}
