import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { PROC, readText } from './proc-read.js';

/**
 * A process's open files as the reverse-shell relay check needs them, read from host /proc: its
 * sockets (by inode, to look up in /proc/net), and the byte channels between processes (pipes,
 * fifos, pseudo-terminals, connected unix sockets) with the direction each end was opened for.
 */

export interface FdEntry {
  fd: number;
  /** The socket's inode, for a socket. */
  socket?: number;
  /**
   * `pipe:<inode>`, `fifo:<dev>:<inode>`, `pty:<index>` (both the master and the terminal
   * `/dev/pts/<index>` of one pty have the same channel), `unix:<inode>-<inode>` (both ends of a
   * connected unix socket, such as the socketpairs node's child_process gives a child as stdio).
   */
  channel?: string;
  /** The pty's master side (what a terminal emulator or relay holds). */
  master?: boolean;
  read: boolean;
  write: boolean;
}

const PTS = /^\/dev\/pts\/(\d+)$/;
const PTMX = /^\/dev\/(pts\/)?ptmx$/;

/**
 * The fd table; empty when the process is gone or not ours to read. `unixPeers`: the peer of each
 * connected unix socket of its network namespace (readUnixPeers), which /proc does not show.
 */
export function readFds(
  pid: number,
  proc = PROC,
  unixPeers: ReadonlyMap<number, number> = new Map(),
): FdEntry[] {
  let fds: string[];
  try {
    fds = readdirSync(`${proc}/${pid}/fd`);
  } catch {
    // Gone, or not ours to read: no table.
    return [];
  }
  const entries: FdEntry[] = [];
  for (const name of fds) {
    const entry = readFd(pid, Number(name), proc, unixPeers);
    if (entry) entries.push(entry);
  }
  return entries;
}

function readFd(
  pid: number,
  fd: number,
  proc: string,
  unixPeers: ReadonlyMap<number, number>,
): FdEntry | undefined {
  const path = `${proc}/${pid}/fd/${fd}`;
  let target: string;
  try {
    target = readlinkSync(path);
  } catch {
    // Closed meanwhile.
    return undefined;
  }
  const socket = /^socket:\[(\d+)\]$/.exec(target)?.[1];
  if (socket) {
    const inode = Number(socket);
    const peer = unixPeers.get(inode);
    const channel =
      peer === undefined
        ? {}
        : { channel: `unix:${Math.min(inode, peer)}-${Math.max(inode, peer)}` };
    return { fd, socket: inode, ...channel, read: true, write: true };
  }
  const pipe = /^pipe:\[(\d+)\]$/.exec(target)?.[1];
  if (pipe) return { fd, channel: `pipe:${pipe}`, ...access(pid, fd, proc) };
  const pts = PTS.exec(target)?.[1];
  if (pts) return { fd, channel: `pty:${pts}`, ...access(pid, fd, proc) };
  if (PTMX.test(target)) {
    const index = /^tty-index:\s*(\d+)/m.exec(readText(`${proc}/${pid}/fdinfo/${fd}`) ?? '')?.[1];
    return index === undefined
      ? undefined
      : { fd, channel: `pty:${index}`, master: true, read: true, write: true };
  }
  if (!target.startsWith('/')) return undefined;
  try {
    const stat = statSync(path);
    if (stat.isFIFO())
      return { fd, channel: `fifo:${stat.dev}:${stat.ino}`, ...access(pid, fd, proc) };
  } catch {
    // Closed meanwhile.
  }
  return undefined;
}

/** The open mode from /proc/<pid>/fdinfo/<fd> (`flags:` in octal; the low two bits). */
function access(pid: number, fd: number, proc: string): { read: boolean; write: boolean } {
  const flags = /^flags:\s*([0-7]+)/m.exec(readText(`${proc}/${pid}/fdinfo/${fd}`) ?? '')?.[1];
  const mode = flags === undefined ? 2 : parseInt(flags, 8) & 3;
  return { read: mode !== 1, write: mode !== 0 };
}
