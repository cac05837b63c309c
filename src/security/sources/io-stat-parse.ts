/**
 * Block I/O byte counters of a container's cgroup: cgroup v2 `io.stat`, or cgroup v1
 * `blkio.throttle.io_service_bytes` (also the `blkio.io_service_bytes` and `_recursive` variants).
 */

export interface IoCounters {
  readBytes: number;
  writeBytes: number;
}

/** Per device (`major:minor`) and summed over all devices. */
export interface IoStat {
  devices: Map<string, IoCounters>;
  total: IoCounters;
}

/** cgroup v2: `8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0`. */
export function parseIoStatV2(text: string): IoStat {
  const devices = new Map<string, IoCounters>();
  for (const line of text.split('\n')) {
    const [device, ...pairs] = line.trim().split(/\s+/);
    if (!device || !/^\d+:\d+$/.test(device)) continue;
    const fields = Object.fromEntries(pairs.map((p) => p.split('=') as [string, string]));
    devices.set(device, { readBytes: count(fields.rbytes), writeBytes: count(fields.wbytes) });
  }
  return withTotal(devices);
}

/** cgroup v1: `8:0 Read 1234` / `8:0 Write 5678` / … / `Total 6912`. */
export function parseBlkioV1(text: string): IoStat {
  const devices = new Map<string, IoCounters>();
  for (const line of text.split('\n')) {
    const [device, op, value] = line.trim().split(/\s+/);
    if (!device || !/^\d+:\d+$/.test(device) || (op !== 'Read' && op !== 'Write')) continue;
    const counters = devices.get(device) ?? { readBytes: 0, writeBytes: 0 };
    if (op === 'Read') counters.readBytes += count(value);
    else counters.writeBytes += count(value);
    devices.set(device, counters);
  }
  return withTotal(devices);
}

/** Either format, told apart by its content. */
export function parseIoCounters(text: string): IoStat {
  return /\brbytes=|\bwbytes=/.test(text) ? parseIoStatV2(text) : parseBlkioV1(text);
}

function count(text: string | undefined): number {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : 0;
}

function withTotal(devices: Map<string, IoCounters>): IoStat {
  const total = { readBytes: 0, writeBytes: 0 };
  for (const c of devices.values()) {
    total.readBytes += c.readBytes;
    total.writeBytes += c.writeBytes;
  }
  return { devices, total };
}
