import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';

/**
 * Looks for a string in what a container's processes hold, read from the host (so the search
 * itself puts nothing inside): their environments and every readable mapping of their memory.
 */

/** The host pids of every process in the container whose init has `initPid` (its pid namespace). */
export function containerPids(initPid: number): number[] {
  const namespace = readlinkSync(`/proc/${initPid}/ns/pid`);
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/ns/pid`) === namespace;
      } catch {
        return false; // gone meanwhile
      }
    });
}

export interface Sighting {
  pid: number;
  where: 'environ' | 'memory';
}

/** Where `needle` is found in the processes' environments and memory. */
export function scanProcesses(pids: number[], needle: string): Sighting[] {
  const bytes = Buffer.from(needle);
  const found: Sighting[] = [];
  for (const pid of pids) {
    const environ = readOr(`/proc/${pid}/environ`);
    if (environ?.includes(bytes)) found.push({ pid, where: 'environ' });
    if (memoryHolds(pid, bytes)) found.push({ pid, where: 'memory' });
  }
  return found;
}

function readOr(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined; // the process is gone
  }
}

function memoryHolds(pid: number, needle: Buffer): boolean {
  const maps = readOr(`/proc/${pid}/maps`)?.toString() ?? '';
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/mem`, 'r');
  } catch {
    return false;
  }
  try {
    for (const line of maps.split('\n')) {
      const [range = '', perms = ''] = line.split(' ');
      if (!perms.startsWith('r') || line.endsWith('[vvar]') || line.endsWith('[vsyscall]'))
        continue;
      const [from, to] = range.split('-').map((h) => parseInt(h, 16));
      if (from === undefined || to === undefined || !(to > from)) continue;
      if (regionHolds(fd, from, to, needle)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

const CHUNK = 16 * 1024 * 1024;

/** Reads [from, to) in chunks that overlap by the needle's length, so none is missed. */
function regionHolds(fd: number, from: number, to: number, needle: Buffer): boolean {
  const buf = Buffer.alloc(Math.min(CHUNK, to - from));
  for (let at = from; at < to; at += buf.length - needle.length) {
    let got = 0;
    try {
      got = readSync(fd, buf, 0, Math.min(buf.length, to - at), at);
    } catch {
      return false; // a mapping that cannot be read (device, guard page)
    }
    if (buf.subarray(0, got).includes(needle)) return true;
    if (at + got >= to || got < buf.length) return false;
  }
  return false;
}
