import { statSync, statfsSync } from 'node:fs';
import type { DiskUsage } from '../detectors/disk-pressure.js';

/**
 * How full the container's root disk and /tmp are, from the host: statfs through
 * /proc/<init pid>/root, which resolves in the container's mount namespace (so a tmpfs on /tmp is
 * measured as the tmpfs). /tmp is reported on its own only when it is a filesystem of its own.
 */

const MB = 1024 * 1024;

export function readDiskUsage(initPid: number, proc = '/proc'): DiskUsage[] {
  const root = `${proc}/${initPid}/root`;
  const usages: DiskUsage[] = [];
  const rootDev = device(root);
  const rootUsage = usage(root, '/');
  if (rootUsage) usages.push(rootUsage);
  const tmpDev = device(`${root}/tmp`);
  if (tmpDev !== undefined && tmpDev !== rootDev) {
    const tmpUsage = usage(`${root}/tmp`, '/tmp');
    if (tmpUsage) usages.push(tmpUsage);
  }
  return usages;
}

function device(path: string): number | undefined {
  try {
    return statSync(path).dev;
  } catch {
    // The container stopped meanwhile: nothing to measure.
    return undefined;
  }
}

function usage(hostPath: string, path: string): DiskUsage | undefined {
  let s;
  try {
    s = statfsSync(hostPath);
  } catch {
    // The container stopped meanwhile: nothing to measure.
    return undefined;
  }
  // As df counts: blocks reserved for root are neither used nor available.
  const used = s.blocks - s.bfree;
  const usable = used + s.bavail;
  if (usable <= 0) return undefined;
  return {
    path,
    usedPercent: Math.round((used / usable) * 100),
    freeMb: Math.round((s.bavail * s.bsize) / MB),
  };
}
