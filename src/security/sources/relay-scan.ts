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
import { PROC, readArgv, readSocketTables, readText } from './proc-read.js';

/**
 * Gathers from host /proc what the relay check (classifyRelay) needs about one container — every
 * process's fd table, the sockets of its network namespace, its DNS resolvers — at most once per
 * scan pass, and only for a shell or interpreter that reads its program from a pipe, fifo or pty.
 */
export class RelayScan {
  private readonly containers = new Map<
    string,
    {
      processes: Map<number, RelayProcess>;
      sockets: ReturnType<typeof socketRows>;
      exempt: (remote: Endpoint) => boolean;
    }
  >();

  constructor(private readonly proc = PROC) {}

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
    if (!readsProgramFromStdin(shell.argv) || !fedByAnotherProcess(shell.stdin)) return undefined;
    let view = this.containers.get(container);
    if (!view) {
      view = {
        processes: new Map(),
        sockets: socketRows(shell.pid, this.proc),
        exempt: resolverOf(shell.pid, this.proc),
      };
      // No socket that could carry a shell: the fd tables need not be read at all.
      if (shellCarryingSockets(view.sockets, view.exempt).size > 0)
        for (const pid of pids()) {
          const argv = readArgv(pid, this.proc);
          if (argv)
            view.processes.set(pid, { pid, command: argv.join(' '), fds: readFds(pid, this.proc) });
        }
      this.containers.set(container, view);
    }
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

/** A pipe, a pty, or a path (which may be a fifo); not a socket, /dev/null or nothing. */
function fedByAnotherProcess(stdin: string | undefined): boolean {
  if (stdin === undefined || stdin === '/dev/null') return false;
  return stdin.startsWith('pipe:') || stdin.startsWith('/');
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
