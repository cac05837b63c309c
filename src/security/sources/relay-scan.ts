import type { Alert } from '../alert.js';
import { DEFAULT_RESOLVER_PORT } from '../dns/resolver.js';
import {
  classifyRelay,
  readsProgramFromStdin,
  shellCarryingSockets,
  type RelayProcess,
} from '../detectors/reverse-shell-relay.js';
import type { Endpoint } from './proc-net-parse.js';
import { readFds } from './proc-fds.js';
import { PROC, readArgv, readSocketTables, readText, readUnixSocketInodes } from './proc-read.js';
import { readUnixPeers } from './unix-peers.js';

interface ContainerView {
  processes: Map<number, RelayProcess>;
  sockets: ReturnType<typeof socketRows>;
  exempt: (remote: Endpoint) => boolean;
  /** Whether the sockets hold one that could carry a shell (else nothing more is read). */
  carriesShells: boolean;
  fdTablesRead: boolean;
  /** The unix socket peers the fd tables were read with. */
  peers?: ReadonlyMap<number, number>;
}

/**
 * Gathers from host /proc what the relay check (classifyRelay) needs about one container — every
 * process's fd table, the sockets of its network namespace, its DNS resolvers — at most once per
 * scan pass, and only for a shell or interpreter that reads its program from a pipe, fifo, pty or
 * unix socket. For a unix socket, the peers of the namespace's unix sockets too (readUnixPeers,
 * a process of its own: kept across passes, asked again only for a socket they do not know).
 */
export class RelayScan {
  private readonly containers = new Map<string, ContainerView>();
  private readonly unixPeers = new Map<string, ReadonlyMap<number, number>>();

  constructor(
    private readonly proc = PROC,
    private readonly peersOf: (pid: number) => ReadonlyMap<number, number> = readUnixPeers,
  ) {}

  /** The container stopped: its sockets are gone. */
  forget(container: string): void {
    this.unixPeers.delete(container);
  }

  /** Every process's fd table, with the unix socket peers when a shell reads from a socket. */
  private readFdTables(
    view: ContainerView,
    peers: ReadonlyMap<number, number> | undefined,
    pids: () => Iterable<number>,
  ): void {
    view.peers = peers;
    view.fdTablesRead = true;
    view.processes.clear();
    for (const pid of pids()) {
      const argv = readArgv(pid, this.proc);
      if (argv)
        view.processes.set(pid, {
          pid,
          command: argv.join(' '),
          fds: readFds(pid, this.proc, view.peers),
        });
    }
  }

  /**
   * The unix socket peers known for `container`, asked again when they do not know `inode` and it
   * is a unix socket (a TCP one on stdin is the stdio check's).
   */
  private peersFor(
    container: string,
    shellPid: number,
    inode: number,
  ): ReadonlyMap<number, number> | undefined {
    const known = this.unixPeers.get(container);
    if (known?.has(inode) || !readUnixSocketInodes(shellPid, this.proc).has(inode)) return known;
    const peers = this.peersOf(shellPid);
    this.unixPeers.set(container, peers);
    return peers;
  }

  /** A new pass: what was read for the previous one is stale. */
  clear(): void {
    this.containers.clear();
  }

  /** `stdin`: the readlink of the shell's fd 0; `pids`: every process of its container. */
  check(
    container: string,
    shell: { pid: number; command: string; argv: string[]; stdin: string | undefined },
    pids: () => Iterable<number>,
  ): Alert | undefined {
    if (!mayBeRelayed(shell.argv, shell.stdin)) return undefined;
    let view = this.containers.get(container);
    if (!view) {
      view = {
        processes: new Map(),
        sockets: socketRows(shell.pid, this.proc),
        exempt: resolverOf(shell.pid, this.proc),
        carriesShells: false,
        fdTablesRead: false,
      };
      view.carriesShells = shellCarryingSockets(view.sockets, view.exempt).size > 0;
      this.containers.set(container, view);
    }
    // No socket that could carry a shell: the fd tables need not be read at all.
    if (!view.carriesShells) return undefined;
    const stdinSocket = socketInode(shell.stdin);
    const peers =
      stdinSocket === undefined ? view.peers : this.peersFor(container, shell.pid, stdinSocket);
    if (!view.fdTablesRead || peers !== view.peers) this.readFdTables(view, peers, pids);
    const self = view.processes.get(shell.pid);
    if (!self) return undefined;
    return classifyRelay({
      shell: { ...self, argv: shell.argv },
      processes: view.processes,
      sockets: view.sockets,
      exempt: view.exempt,
    });
  }
}

/** A shell or interpreter reading its program from what another process may feed (see check). */
export function mayBeRelayed(argv: readonly string[], stdin: string | undefined): boolean {
  return readsProgramFromStdin(argv) && fedByAnotherProcess(stdin);
}

/**
 * A pipe, a pty, a socket (a unix one may be a socketpair), or a path (which may be a fifo); not
 * /dev/null or nothing.
 */
function fedByAnotherProcess(stdin: string | undefined): boolean {
  if (stdin === undefined || stdin === '/dev/null') return false;
  return stdin.startsWith('pipe:') || stdin.startsWith('socket:') || stdin.startsWith('/');
}

function socketInode(target: string | undefined): number | undefined {
  const inode = /^socket:\[(\d+)\]$/.exec(target ?? '')?.[1];
  return inode === undefined ? undefined : Number(inode);
}

function socketRows(pid: number, proc: string) {
  return readSocketTables(pid, proc).map(({ protocol, socket }) => ({
    udp: protocol.startsWith('udp'),
    socket,
  }));
}

/** The container's nameservers (its /etc/resolv.conf, read through the process's root). */
function resolverOf(pid: number, proc: string): (remote: Endpoint) => boolean {
  const conf = readText(`${proc}/${pid}/root/etc/resolv.conf`) ?? '';
  const servers = new Set([...conf.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!));
  return (remote) =>
    servers.has(remote.address) && (remote.port === 53 || remote.port === DEFAULT_RESOLVER_PORT);
}
