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
  /** The daemon (this process) and its exec event reader (perl), in % of one core. */
  percent: number;
  daemonPercent: number;
  /** undefined when no perl child runs (process events off or failed). */
  perlPercent?: number;
  wallMs: number;
  scans: number;
  msPerScan: number;
  /** Container execs the exec events reported meanwhile. */
  execs: number;
}

/** The perl child of this process (the daemon's exec event reader). */
export function perlChild(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && readParentPid(pid) === process.pid && readName(pid) === 'perl')
      return pid;
  }
  return undefined;
}

/** The CPU of the in-process daemon and of its exec event reader while `during` runs. */
export async function monitorCpu(
  daemon: MonitorDaemon,
  during: () => Promise<void>,
): Promise<MonitorCpu> {
  const perl = perlChild();
  const perl0 = perl === undefined ? undefined : readCpuSeconds(perl);
  const cpu0 = process.cpuUsage();
  const status0 = daemon.status();
  const t0 = performance.now();
  await during();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const perl1 = perl === undefined ? undefined : readCpuSeconds(perl);
  const status = daemon.status();
  const scans = status.scans - status0.scans;
  const daemonPercent = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
  const perlPercent =
    perl0 === undefined || perl1 === undefined ? undefined : ((perl1 - perl0) * 1e5) / wallMs;
  return {
    percent: daemonPercent + (perlPercent ?? 0),
    daemonPercent,
    perlPercent,
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
    `(daemon ${pct(cpu.daemonPercent)}, exec reader ${cpu.perlPercent === undefined ? 'not running' : pct(cpu.perlPercent)}; ` +
    `${cpu.scans} process scans, ${cpu.msPerScan.toFixed(3)} ms each)`
  );
}
