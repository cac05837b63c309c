import type { CoiContainer } from '../../shared/coi-container.js';
import type { AuditRecord } from '../audit/record.js';
import { readAudit } from '../audit/tail.js';
import { processStartsSummary } from '../sources/exec-events.js';
import { readCgroupIo } from '../sources/io-counters.js';
import { readCommand, readContainerPids, readSocketTables, readUid } from '../sources/proc-read.js';
import type { MonitorStatus } from './daemon.js';

/** What `coi monitor <name>` shows: read from the host, nothing runs in the container. */
export interface MonitorSnapshot {
  timestamp: string;
  container: string;
  container_ip: string;
  status: string;
  network: Array<{ protocol: string; local: string; remote: string; state: string }>;
  processes: Array<{ pid: number; uid?: number; command: string }>;
  resources: { cpu_seconds: number; memory_mb: number; processes: number };
  /** Block I/O since the container started, from its cgroup; null where the host counts none. */
  io: { read_mb: number; write_mb: number } | null;
  threats: AuditRecord[];
  /** The monitor daemon, or null when none runs (nothing is watching the container). */
  daemon: MonitorStatus | null;
  errors: string[];
}

const RECENT_THREATS = 10;
const MB = 1024 * 1024;

export async function takeSnapshot(
  container: CoiContainer,
  auditDir: string,
  daemon: MonitorStatus | null,
): Promise<MonitorSnapshot> {
  const state = container.instance.state;
  const pid = state?.pid ?? 0;
  const errors: string[] = [];
  const threats: AuditRecord[] = [];
  await readAudit(auditDir, container.name, {
    onRecord: (r) => {
      if (r.action !== 'deduplicated') threats.push(r);
    },
    onInvalid: (where, problem) => errors.push(`${where}: ${problem}`),
  });
  const io = readCgroupIo(container.name);
  return {
    timestamp: new Date().toISOString(),
    container: container.name,
    container_ip: container.ipv4,
    status: container.status,
    network: pid > 0 ? connections(pid) : [],
    processes: processesOf(container.name),
    resources: {
      cpu_seconds: Math.round((state?.cpu.usage ?? 0) / 1e7) / 100,
      memory_mb: Math.round((state?.memory.usage ?? 0) / MB),
      processes: state?.processes ?? 0,
    },
    io:
      io && io.readBytes + io.writeBytes > 0
        ? { read_mb: round(io.readBytes / MB), write_mb: round(io.writeBytes / MB) }
        : null,
    threats: threats.slice(-RECENT_THREATS),
    daemon: daemon && daemon.containers.includes(container.name) ? daemon : null,
    errors,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function connections(pid: number): MonitorSnapshot['network'] {
  return readSocketTables(pid).map(({ protocol, socket: s }) => ({
    protocol,
    local: `${s.local.address}:${s.local.port}`,
    remote: `${s.remote.address}:${s.remote.port}`,
    state: protocol.startsWith('udp') ? (s.remote.port === 0 ? 'OPEN' : 'CONNECTED') : s.state,
  }));
}

function processesOf(name: string): MonitorSnapshot['processes'] {
  const found: MonitorSnapshot['processes'] = [];
  for (const { pid, container } of readContainerPids()) {
    if (container !== name) continue;
    const command = readCommand(pid);
    if (command) found.push({ pid, uid: readUid(pid), command });
  }
  return found;
}

/** The text layout: header, threats, network, processes, resources. */
export function formatSnapshot(s: MonitorSnapshot): string {
  const lines = [
    `Container: ${s.container} (${s.container_ip || 'no address'}) — ${s.status}`,
    `Time: ${s.timestamp}   Monitor: ${s.daemon ? `watching (daemon pid ${s.daemon.pid})` : 'not watching (no daemon, or not attached)'}`,
    ...(s.daemon ? [`  ${processStartsSummary(s.daemon.processEvents)}`] : []),
    '─'.repeat(72),
    `RECENT THREATS (${s.threats.length})`,
    ...(s.threats.length === 0
      ? ['  none']
      : s.threats.map(
          (t) =>
            `  [${t.timestamp.slice(11, 19)}] ${t.level.toUpperCase().padEnd(8)} ${t.title}\n` +
            `      ${t.description}\n      → ${t.action}`,
        )),
    '',
    `NETWORK (${s.network.length})`,
    ...s.network.map(
      (c) => `  ${c.protocol.padEnd(4)} ${c.local.padEnd(24)} ${c.remote.padEnd(24)} ${c.state}`,
    ),
    '',
    `PROCESSES (${s.processes.length})`,
    ...s.processes.map(
      (p) =>
        `  ${String(p.pid).padStart(7)} ${String(p.uid ?? '?').padStart(8)}  ${p.command.slice(0, 60)}`,
    ),
    '',
    'RESOURCES',
    `  CPU ${s.resources.cpu_seconds} s   memory ${s.resources.memory_mb} MB   ${s.resources.processes} processes`,
    `  I/O ${s.io ? `read ${s.io.read_mb} MB, written ${s.io.write_mb} MB (cgroup)` : 'not counted by this host’s cgroups'}`,
    ...(s.errors.length > 0 ? ['', 'ERRORS', ...s.errors.map((e) => `  ${e}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}
