import { parseIoCounters, type IoCounters } from './io-stat-parse.js';
import { firstPresentFile } from './first-present-file.js';

/**
 * A container's block I/O byte counters from its cgroup: `io.stat` on the unified hierarchy
 * (cgroup v2), else blkio's recursive throttle counters (cgroup v1, which also count the
 * container's own sub-cgroups), else the non-recursive ones.
 */
function ioCounterFiles(container: string, root = '/sys/fs/cgroup'): string[] {
  const group = `lxc.payload.${container}`;
  return [
    `${root}/${group}/io.stat`,
    `${root}/blkio/${group}/blkio.throttle.io_service_bytes_recursive`,
    `${root}/blkio/${group}/blkio.throttle.io_service_bytes`,
  ];
}

/**
 * The reader answers undefined when the container has no cgroup (not running) or no I/O
 * accounting.
 */
export function cgroupIoReader(container: string, root?: string): () => IoCounters | undefined {
  const read = firstPresentFile(ioCounterFiles(container, root));
  return () => {
    const text = read();
    return text === undefined ? undefined : parseIoCounters(text).total;
  };
}

/** One read of `cgroupIoReader`. */
export function readCgroupIo(container: string, root?: string): IoCounters | undefined {
  return cgroupIoReader(container, root)();
}

/**
 * Two monotonic views of the same I/O (the cgroup's, the processes' sum) joined without counting
 * anything twice: each direction takes the larger, so whichever source sees the I/O on this host
 * drives the detector.
 */
export function largerCounters(a: IoCounters | undefined, b: IoCounters): IoCounters {
  if (!a) return b;
  return {
    readBytes: Math.max(a.readBytes, b.readBytes),
    writeBytes: Math.max(a.writeBytes, b.writeBytes),
  };
}
