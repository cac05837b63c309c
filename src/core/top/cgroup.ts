import type { IoCounters } from '../../security/sources/io-stat-parse.js';
import { readCgroupIo } from '../../security/sources/io-counters.js';
import { readText } from '../../security/sources/proc-read.js';
import { parseCount, parseCpuStat, parseCpuacctUsage, parseMemoryLimit } from './cgroup-parse.js';

/** One reading of a container's top-level cgroup: its counters aggregate every process in it. */
export interface CgroupUsage {
  cpuSeconds: number;
  memoryBytes: number;
  /** Undefined when the container has no memory limit. */
  memoryLimitBytes?: number;
  /** Undefined where the host's cgroups count no block I/O. */
  io?: IoCounters;
}

export const CGROUP_ROOT = '/sys/fs/cgroup';

/** Where each counter lives: the unified hierarchy (v2) first, then the v1 controllers. */
function layouts(container: string) {
  const group = `lxc.payload.${container}`;
  return [
    {
      cpu: `${group}/cpu.stat`,
      cpuSeconds: parseCpuStat,
      memory: `${group}/memory.current`,
      limit: `${group}/memory.max`,
    },
    {
      cpu: `cpuacct/${group}/cpuacct.usage`,
      cpuSeconds: parseCpuacctUsage,
      memory: `memory/${group}/memory.usage_in_bytes`,
      limit: `memory/${group}/memory.limit_in_bytes`,
    },
  ];
}

/** Undefined when the container has no cgroup here (not running) or no CPU accounting. */
export function readCgroupUsage(container: string, root = CGROUP_ROOT): CgroupUsage | undefined {
  for (const layout of layouts(container)) {
    const cpu = readText(`${root}/${layout.cpu}`);
    const cpuSeconds = cpu === undefined ? undefined : layout.cpuSeconds(cpu);
    if (cpuSeconds === undefined) continue;
    const limit = parseMemoryLimit(readText(`${root}/${layout.limit}`));
    const io = readCgroupIo(container, root);
    return {
      cpuSeconds,
      memoryBytes: parseCount(readText(`${root}/${layout.memory}`)) ?? 0,
      ...(limit !== undefined ? { memoryLimitBytes: limit } : {}),
      ...(io ? { io } : {}),
    };
  }
  return undefined;
}
