import type { CgroupUsage } from './cgroup.js';
import type { NetCounters } from './net-dev.js';

/**
 * `coi top`'s rows, computed from two readings taken `seconds` apart. Field names and order are
 * the Go coi's JSON. CPU % is of one core (a container busy on two cores reads 200).
 */

export interface ContainerTopRow {
  name: string;
  alias?: string;
  workspace?: string;
  cpu_percent: number;
  memory_mb: number;
  memory_limit_mb?: number;
  disk_read_mb_per_sec: number;
  disk_write_mb_per_sec: number;
  net_rx_mb_per_sec: number;
  net_tx_mb_per_sec: number;
}

export interface ProcessTopRow {
  container: string;
  /** The host's pid: the one `sudo kill` takes. */
  pid: number;
  /** The host uid, as a decimal string ('' when unknown). */
  user: string;
  cpu_percent: number;
  memory_mb: number;
  command: string;
}

export interface ContainerReading {
  usage?: CgroupUsage;
  net?: NetCounters;
}

export interface ContainerIdentity {
  name: string;
  alias: string;
  workspace: string;
}

export interface ProcessReading {
  container: string;
  pid: number;
  uid?: number;
  cpuSeconds: number;
  rssBytes: number;
  command: string;
}

export const CONTAINER_SORT_KEYS = ['cpu', 'mem', 'disk', 'net'] as const;
export const PROCESS_SORT_KEYS = ['cpu', 'mem'] as const;
export type ContainerSortKey = (typeof CONTAINER_SORT_KEYS)[number];
export type ProcessSortKey = (typeof PROCESS_SORT_KEYS)[number];

const MB = 1024 * 1024;

/** Per second between two readings of a cumulative counter; a reset (restart) reads 0. */
export function rate(before: number, after: number, seconds: number): number {
  return seconds > 0 ? Math.max(0, (after - before) / seconds) : 0;
}

/**
 * A container's row. Memory is the later reading's; CPU and disk need both readings (a missing
 * first one would turn the whole lifetime's counter into one interval's spike), and so does the
 * network. Without a later reading the row keeps the container visible with zeros.
 */
export function containerRow(
  id: ContainerIdentity,
  before: ContainerReading | undefined,
  after: ContainerReading | undefined,
  seconds: number,
): ContainerTopRow {
  const [u0, u1] = [before?.usage, after?.usage];
  const [n0, n1] = [before?.net, after?.net];
  const io = u0?.io && u1?.io ? { before: u0.io, after: u1.io } : undefined;
  const limit = u1?.memoryLimitBytes;
  return {
    name: id.name,
    ...(id.alias ? { alias: id.alias } : {}),
    ...(id.workspace ? { workspace: id.workspace } : {}),
    cpu_percent: u0 && u1 ? rate(u0.cpuSeconds, u1.cpuSeconds, seconds) * 100 : 0,
    memory_mb: (u1?.memoryBytes ?? 0) / MB,
    ...(limit ? { memory_limit_mb: limit / MB } : {}),
    disk_read_mb_per_sec: io ? rate(io.before.readBytes, io.after.readBytes, seconds) / MB : 0,
    disk_write_mb_per_sec: io ? rate(io.before.writeBytes, io.after.writeBytes, seconds) / MB : 0,
    net_rx_mb_per_sec: n0 && n1 ? rate(n0.rxBytes, n1.rxBytes, seconds) / MB : 0,
    net_tx_mb_per_sec: n0 && n1 ? rate(n0.txBytes, n1.txBytes, seconds) / MB : 0,
  };
}

/** One row per process of the later reading; a process new since the first reads 0 % CPU. */
export function processRows(
  before: ProcessReading[],
  after: ProcessReading[],
  seconds: number,
): ProcessTopRow[] {
  const key = (p: ProcessReading) => `${p.container}/${p.pid}`;
  const earlier = new Map(before.map((p) => [key(p), p.cpuSeconds]));
  return after.map((p) => {
    const cpu0 = earlier.get(key(p));
    return {
      container: p.container,
      pid: p.pid,
      user: p.uid === undefined ? '' : String(p.uid),
      cpu_percent: cpu0 === undefined ? 0 : rate(cpu0, p.cpuSeconds, seconds) * 100,
      memory_mb: p.rssBytes / MB,
      command: p.command,
    };
  });
}

const containerMetric: Record<ContainerSortKey, (r: ContainerTopRow) => number> = {
  cpu: (r) => r.cpu_percent,
  mem: (r) => r.memory_mb,
  disk: (r) => r.disk_read_mb_per_sec + r.disk_write_mb_per_sec,
  net: (r) => r.net_rx_mb_per_sec + r.net_tx_mb_per_sec,
};

/** Busiest first; the name breaks ties. */
export function sortContainerRows(
  rows: ContainerTopRow[],
  key: ContainerSortKey,
): ContainerTopRow[] {
  const metric = containerMetric[key];
  return [...rows].sort((a, b) => metric(b) - metric(a) || compare(a.name, b.name));
}

/** Busiest first; the pid breaks ties. */
export function sortProcessRows(rows: ProcessTopRow[], key: ProcessSortKey): ProcessTopRow[] {
  const metric =
    key === 'mem' ? (r: ProcessTopRow) => r.memory_mb : (r: ProcessTopRow) => r.cpu_percent;
  return [...rows].sort((a, b) => metric(b) - metric(a) || a.pid - b.pid);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
