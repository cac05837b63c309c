import { readdirSync } from 'node:fs';
import { readText } from './proc-read.js';

/**
 * Every host PID in a container's cgroup and its sub-cgroups (systemd's slices and scopes inside),
 * from `cgroup.procs`: the unified hierarchy (cgroup v2), else the v1 pids controller.
 */
export function readCgroupProcs(container: string, root = '/sys/fs/cgroup'): number[] {
  const group = `lxc.payload.${container}`;
  for (const dir of [`${root}/${group}`, `${root}/pids/${group}`]) {
    if (readText(`${dir}/cgroup.procs`) === undefined) continue;
    const pids: number[] = [];
    collect(dir, pids);
    return pids;
  }
  return [];
}

function collect(dir: string, pids: number[]): void {
  for (const line of (readText(`${dir}/cgroup.procs`) ?? '').split('\n'))
    if (/^\d+$/.test(line)) pids.push(Number(line));
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    // The cgroup went away with its processes: nothing more under it.
    return;
  }
  for (const entry of entries) if (entry.isDirectory()) collect(`${dir}/${entry.name}`, pids);
}
