import { TITLES, type Alert } from '../alert.js';
import { isIpv4, isLoopbackV4 } from '../../shared/ipv4.js';
import type { FdEntry } from '../sources/proc-fds.js';
import type { Endpoint, ProcNetSocket } from '../sources/proc-net-parse.js';
import { SHELLS } from './command-patterns.js';
import { basename } from './command-words.js';

/**
 * Reverse shells by behaviour when no process has its stdio on the socket: a shell or interpreter
 * that reads its program from standard input, where that input is fed — through pipes, fifos,
 * unix sockets (node's child_process stdio) or a pty, directly or through up to two relaying
 * processes — by a process holding a network socket.
 * For an outbound connection its output must also flow back to a socket holder (a relay both
 * ways): that tells `python3 relay.py` from `curl … | sh`, whose output goes to the terminal. A
 * listening or accepted socket feeding a shell is a bind shell either way.
 */

export interface RelayProcess {
  pid: number;
  command: string;
  fds: FdEntry[];
}

export interface RelayInput {
  shell: RelayProcess & { argv: string[] };
  /** Every process of the shell's container, the shell included. */
  processes: ReadonlyMap<number, RelayProcess>;
  /** The rows of the container's /proc/net/{tcp,tcp6,udp,udp6}, with their protocol. */
  sockets: ReadonlyArray<{ udp: boolean; socket: ProcNetSocket }>;
  /** Destinations that do not count (the container's DNS resolver, allowed proxies). */
  exempt?: (remote: Endpoint) => boolean;
}

const INTERPRETERS = /^(python[\d.]*|perl[\d.]*|ruby[\d.]*|php[\d.]*|node|nodejs|bun|lua[\d.]*)$/;
/** Options that give a shell its program on the command line (`-c`, `-lc`, fish's `--command`). */
const SHELL_CODE_FLAG = /^(-[a-zA-Z]*c[a-zA-Z]*|--command)$/;
/** The same for interpreters: `-c`, `-e`, `-ne`, `-E`, `-m module`, php's `-r`, node's `-p`. */
const INTERPRETER_CODE_FLAG = /^(-[a-zA-Z]*[ceEm]|-r|-p|--eval|--print|--command)$/;
const STDIN_OPERANDS = new Set(['-', '/dev/stdin', '/proc/self/fd/0', '/dev/fd/0']);
/** Relaying processes followed between the shell and the socket holder. */
const MAX_HOPS = 3;
const CONNECTED = new Set(['ESTABLISHED', 'SYN_SENT', 'CLOSE_WAIT']);

/**
 * A shell or interpreter that takes its program from standard input: no `-c`/`-e` code and no
 * script operand (`sh`, `bash -i`, `python3`, `perl`, `sh -s`, `python3 -`).
 */
export function readsProgramFromStdin(argv: readonly string[]): boolean {
  const name = basename(argv[0] ?? '').replace(/^-/, '');
  const shell = SHELLS.has(name) || name === 'busybox';
  if (!shell && !INTERPRETERS.test(name)) return false;
  let args = argv.slice(1);
  if (name === 'busybox') {
    if (!SHELLS.has(args[0] ?? '')) return false;
    args = args.slice(1);
  }
  const codeFlag = shell ? SHELL_CODE_FLAG : INTERPRETER_CODE_FLAG;
  for (const arg of args) {
    if (STDIN_OPERANDS.has(arg) || (shell && arg === '-s')) return true;
    if (codeFlag.test(arg)) return false;
    // A script operand (or an option's argument, which this does not tell apart).
    if (!arg.startsWith('-')) return false;
  }
  return true;
}

type SocketKind = 'outbound' | 'bind';

interface Holder {
  process: RelayProcess;
  kind: SocketKind;
  /** `addr:port` of the peer (outbound) or the listening address (bind). */
  where: string;
  /** Processes between the shell and the holder. */
  via: RelayProcess[];
  /** The channel kinds crossed (pipe, fifo, pty). */
  channels: Set<string>;
}

export function classifyRelay(input: RelayInput): Alert | undefined {
  const { shell } = input;
  if (!readsProgramFromStdin(shell.argv)) return undefined;
  const stdin = shell.fds.find((f) => f.fd === 0)?.channel;
  if (stdin === undefined) return undefined;
  const net = shellCarryingSockets(input.sockets, input.exempt);
  if (net.size === 0) return undefined;
  const feeder = search(input, net, stdin, 'in');
  if (!feeder) return undefined;
  if (feeder.kind === 'outbound') {
    const outputs = shell.fds.filter((f) => (f.fd === 1 || f.fd === 2) && f.channel);
    const back = outputs
      .map((f) => search(input, net, f.channel!, 'out'))
      .find((h) => h !== undefined);
    if (!back) return undefined;
  }
  return alertFor(shell, feeder);
}

/** Socket inode → what it is, for the sockets that can carry a shell (none: no relay possible). */
export function shellCarryingSockets(
  sockets: RelayInput['sockets'],
  exempt: RelayInput['exempt'] = () => false,
): Map<number, { kind: SocketKind; where: string }> {
  const listening = new Set(
    sockets.filter((s) => s.socket.state === 'LISTEN').map((s) => s.socket.local.port),
  );
  const kinds = new Map<number, { kind: SocketKind; where: string }>();
  for (const { udp, socket } of sockets) {
    const { local, remote, state } = socket;
    if (state === 'LISTEN') {
      // 0.0.0.0 and :: listen on every interface; only 127/8 and ::1 are loopback-only.
      if (!/^127\./.test(local.address) && local.address !== '::1')
        kinds.set(socket.inode, { kind: 'bind', where: at(local) });
      continue;
    }
    const connected = udp ? remote.port !== 0 : CONNECTED.has(state);
    if (!connected || isLoopback(remote.address)) continue;
    if (!udp && listening.has(local.port))
      kinds.set(socket.inode, { kind: 'bind', where: at(local) });
    else if (!exempt(remote)) kinds.set(socket.inode, { kind: 'outbound', where: at(remote) });
  }
  return kinds;
}

/**
 * Breadth-first from the shell's channel: `in` follows who writes into it (and, for a relay, who
 * writes into what that relay reads), `out` who reads from it. The first process found holding a
 * socket that can carry a shell; a bind socket wins over an outbound one at the same distance.
 */
function search(
  input: RelayInput,
  net: Map<number, { kind: SocketKind; where: string }>,
  start: string,
  direction: 'in' | 'out',
): Holder | undefined {
  const seen = new Set<number>([input.shell.pid]);
  let frontier = [{ channel: start, via: [] as RelayProcess[], channels: new Set<string>() }];
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
    const next: typeof frontier = [];
    const found: Holder[] = [];
    for (const step of frontier) {
      const channels = new Set([...step.channels, step.channel.split(':')[0]!]);
      for (const process of endsOf(input, step.channel, direction)) {
        if (seen.has(process.pid)) continue;
        seen.add(process.pid);
        const socket = process.fds
          .map((f) => (f.socket === undefined ? undefined : net.get(f.socket)))
          .find((s) => s !== undefined);
        if (socket) found.push({ process, ...socket, via: step.via, channels });
        else
          for (const f of process.fds)
            if (f.channel && !f.master && (direction === 'in' ? f.read : f.write))
              next.push({ channel: f.channel, via: [...step.via, process], channels });
      }
    }
    const best = found.find((h) => h.kind === 'bind') ?? found[0];
    if (best) return best;
    frontier = next;
  }
  return undefined;
}

/** The processes holding the other end of `channel`: its writers (`in`) or readers (`out`). */
function endsOf(input: RelayInput, channel: string, direction: 'in' | 'out'): RelayProcess[] {
  const pty = channel.startsWith('pty:');
  return [...input.processes.values()].filter((p) =>
    p.fds.some(
      (f) =>
        f.channel === channel &&
        // A pty's input comes from its master side; a pipe's or fifo's from whoever writes.
        (pty ? f.master === true : direction === 'in' ? f.write : f.read),
    ),
  );
}

function alertFor(shell: RelayInput['shell'], holder: Holder): Alert {
  const bind = holder.kind === 'bind';
  const crossed = ['pty', 'fifo', 'pipe', 'unix'].find((c) => holder.channels.has(c))!;
  const pattern = bind ? 'bind-shell' : `${crossed}-relay`;
  const chain = [...holder.via, holder.process].map((p) => `${p.pid} (${p.command.slice(0, 60)})`);
  const indicators = [`stdin via ${[...holder.channels].join('/')}`, ...chain, holder.where];
  const what = bind ? `a socket listening on ${holder.where}` : `a connection to ${holder.where}`;
  return {
    level: 'critical',
    category: 'process',
    title: TITLES.reverseShell,
    description: `Process ${shell.pid} (${shell.command.slice(0, 120)}) reads its commands through a ${crossed === 'unix' ? 'unix socket' : crossed} fed by process ${chain.join(' ← ')}, which holds ${what}`,
    evidence: {
      process: {
        pid: shell.pid,
        command: shell.command,
        pattern,
        indicators,
        class: bind ? 'bind_shell' : 'relay',
      },
    },
  };
}

function at(endpoint: Endpoint): string {
  return `${endpoint.address}:${endpoint.port}`;
}

function isLoopback(address: string): boolean {
  return isIpv4(address) ? isLoopbackV4(address) : address === '::1';
}
