import { readdirSync } from 'node:fs';
import type { MonitorDaemon } from '../src/security/monitor/daemon.js';
import { readCpuSeconds, readName, readParentPid } from '../src/security/sources/proc-read.js';

/**
 * What the monitor's benches measure a container's processes with: 5 × 500 short processes, as
 * the code user (a root process costs a walk up its parents: the privilege check).
 */
export const SUITE_UID = 1000;
export const TEST_SUITE = [
  'sh',
  '-c',
  'for round in 1 2 3 4 5; do seq 500 | xargs -P 4 -I{} sh -c "test {} -gt 0"; done',
];

export interface MonitorCpu {
  /** The daemon (this process) and its exec event reader, in % of one core. */
  percent: number;
  daemonPercent: number;
  /** undefined when no reader child runs (process events off or failed). */
  readerPercent?: number;
  /** The reader's program name (`coi-proc-events`, or `perl` where none was compiled). */
  reader?: string;
  wallMs: number;
  scans: number;
  msPerScan: number;
  /** Container execs the exec events reported meanwhile. */
  execs: number;
}

const READERS = new Set(['coi-proc-events', 'perl']);

/** The exec event reader child of this process (the daemon's), compiled or perl. */
export function readerChild(): { pid: number; name: string } | undefined {
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || readParentPid(pid) !== process.pid) continue;
    const name = readName(pid);
    if (name !== undefined && READERS.has(name)) return { pid, name };
  }
  return undefined;
}

/** The CPU of the in-process daemon and of its exec event reader while `during` runs. */
export async function monitorCpu(
  daemon: MonitorDaemon,
  during: () => Promise<void>,
): Promise<MonitorCpu> {
  const reader = readerChild();
  const reader0 = reader && readCpuSeconds(reader.pid);
  const cpu0 = process.cpuUsage();
  const status0 = daemon.status();
  const t0 = performance.now();
  await during();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const reader1 = reader && readCpuSeconds(reader.pid);
  const status = daemon.status();
  const scans = status.scans - status0.scans;
  const daemonPercent = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
  const readerPercent =
    reader0 === undefined || reader1 === undefined
      ? undefined
      : ((reader1 - reader0) * 1e5) / wallMs;
  return {
    percent: daemonPercent + (readerPercent ?? 0),
    daemonPercent,
    readerPercent,
    reader: reader?.name,
    wallMs,
    scans,
    msPerScan: (status.scanBusyMs - status0.scanBusyMs) / Math.max(1, scans),
    execs: (status.processEvents?.execs ?? 0) - (status0.processEvents?.execs ?? 0),
  };
}

/** One line: the total, its parts and the process scans. */
export function formatCpu(label: string, cpu: MonitorCpu): string {
  const pct = (n: number) => `${n.toFixed(2)} %`;
  return (
    `${label} (${Math.round(cpu.wallMs / 1000)} s): ${pct(cpu.percent)} of one core ` +
    `(daemon ${pct(cpu.daemonPercent)}, exec reader ${cpu.readerPercent === undefined ? 'not running' : `${pct(cpu.readerPercent)} (${cpu.reader})`}; ` +
    `${cpu.scans} process scans, ${cpu.msPerScan.toFixed(3)} ms each)`
  );
}
