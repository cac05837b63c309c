import { firstPresentFile } from './first-present-file.js';

/**
 * How many processes (tasks) a container has, from its cgroup's `pids.current` (which counts its
 * sub-cgroups too): the unified hierarchy (cgroup v2), else the v1 pids controller. The reader
 * answers undefined when the container has no cgroup (not running) or the host no pids
 * controller.
 */
export function cgroupPidsReader(
  container: string,
  root = '/sys/fs/cgroup',
): () => number | undefined {
  const group = `lxc.payload.${container}`;
  const read = firstPresentFile([
    `${root}/${group}/pids.current`,
    `${root}/pids/${group}/pids.current`,
  ]);
  return () => {
    const text = read()?.trim();
    return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
  };
}

/** One read of `cgroupPidsReader`. */
export function readCgroupPids(container: string, root?: string): number | undefined {
  return cgroupPidsReader(container, root)();
}
