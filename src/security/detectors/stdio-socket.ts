import { TITLES, type Alert } from '../alert.js';
import { isIpv4, isLoopbackV4 } from '../../shared/ipv4.js';
import type { ProcNetSocket, SocketState } from '../sources/proc-net-parse.js';

/**
 * The behavioural reverse-shell check (Falco's "Redirect STDOUT/STDIN to Network Connection",
 * Tracee's stdio_over_socket): a process whose stdin, stdout or stderr is a TCP/UDP socket
 * connected to a non-loopback peer. It catches obfuscated shells that command patterns miss.
 */

export interface ProcessStdio {
  pid: number;
  command: string;
  /** readlink of /proc/<pid>/fd/0, 1 and 2 (e.g. `socket:[123]`, `/dev/pts/0`); absent if closed. */
  fds: Partial<Record<0 | 1 | 2, string>>;
}

const CONNECTED: ReadonlySet<SocketState> = new Set(['ESTABLISHED', 'SYN_SENT', 'CLOSE_WAIT']);

/** `socket:[12345]` → 12345. */
export function socketInode(target: string): number | undefined {
  const match = /^socket:\[(\d+)\]$/.exec(target);
  return match ? Number(match[1]) : undefined;
}

/** `sockets`: the rows of the process's /proc/<pid>/net/{tcp,tcp6,udp,udp6}. */
export function classifyStdioSockets(
  proc: ProcessStdio,
  sockets: readonly ProcNetSocket[],
): Alert | undefined {
  const byInode = new Map(sockets.map((s) => [s.inode, s]));
  const wired: string[] = [];
  for (const fd of [0, 1, 2] as const) {
    const target = proc.fds[fd];
    const inode = target === undefined ? undefined : socketInode(target);
    const socket = inode === undefined ? undefined : byInode.get(inode);
    if (!socket || !CONNECTED.has(socket.state) || socket.remote.port === 0) continue;
    if (isLoopback(socket.remote.address)) continue;
    wired.push(`fd${fd}→${socket.remote.address}:${socket.remote.port}`);
  }
  if (wired.length === 0) return undefined;
  return {
    level: 'critical',
    category: 'process',
    title: TITLES.reverseShell,
    description: `Process ${proc.pid} (${proc.command.slice(0, 120)}) has its standard input/output on a network socket: ${wired.join(', ')}`,
    evidence: {
      process: {
        pid: proc.pid,
        command: proc.command,
        pattern: 'stdio-socket',
        indicators: wired,
        class: 'stdio_socket',
      },
    },
  };
}

function isLoopback(address: string): boolean {
  return isIpv4(address) ? isLoopbackV4(address) : address === '::1' || address === '::';
}
