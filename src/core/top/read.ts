import {
  PROC,
  readCommand,
  readContainerPids,
  readCpuSeconds,
  readName,
  readRssBytes,
  readUid,
} from '../../security/sources/proc-read.js';
import { CGROUP_ROOT, readCgroupUsage } from './cgroup.js';
import { readNetCounters } from './net-dev.js';
import type { ContainerReading, ProcessReading } from './rows.js';

/** Where `coi top` reads: the host's /proc and cgroup tree (fixture trees in tests). */
export interface HostPaths {
  proc?: string;
  cgroupRoot?: string;
}

/** A container's cgroup counters, and its network counters through its init process. */
export function readContainer(
  name: string,
  initPid: number,
  paths: HostPaths = {},
): ContainerReading {
  const usage = readCgroupUsage(name, paths.cgroupRoot ?? CGROUP_ROOT);
  const net = initPid > 0 ? readNetCounters(initPid, paths.proc ?? PROC) : undefined;
  return { ...(usage ? { usage } : {}), ...(net ? { net } : {}) };
}

/**
 * The CPU time of every process of the given containers; with `details`, also its memory, owner
 * and command (what only the second reading needs). A process gone meanwhile is left out.
 */
export function readProcesses(
  containers: ReadonlySet<string>,
  details: boolean,
  paths: HostPaths = {},
): ProcessReading[] {
  const proc = paths.proc ?? PROC;
  const found: ProcessReading[] = [];
  for (const { pid, container } of readContainerPids(proc)) {
    if (!containers.has(container)) continue;
    const cpuSeconds = readCpuSeconds(pid, proc);
    if (cpuSeconds === undefined) continue;
    if (!details) {
      found.push({ container, pid, cpuSeconds, rssBytes: 0, command: '' });
      continue;
    }
    const rssBytes = readRssBytes(pid, proc);
    if (rssBytes === undefined) continue;
    const uid = readUid(pid, proc);
    found.push({
      container,
      pid,
      ...(uid !== undefined ? { uid } : {}),
      cpuSeconds,
      rssBytes,
      command: readCommand(pid, proc) || readName(pid, proc) || '',
    });
  }
  return found;
}
