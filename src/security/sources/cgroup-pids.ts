import { readText } from './proc-read.js';

/**
 * How many processes (tasks) a container has, from its cgroup's `pids.current` (which counts its
 * sub-cgroups too): the unified hierarchy (cgroup v2), else the v1 pids controller. Undefined when
 * the container has no cgroup (not running) or the host no pids controller.
 */
export function readCgroupPids(container: string, root = '/sys/fs/cgroup'): number | undefined {
  const group = `lxc.payload.${container}`;
  for (const file of [`${root}/${group}/pids.current`, `${root}/pids/${group}/pids.current`]) {
    const text = readText(file);
    if (text !== undefined && /^\d+$/.test(text.trim())) return Number(text.trim());
  }
  return undefined;
}
