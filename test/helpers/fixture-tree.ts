import { afterEach, beforeEach } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throw-away directory tree standing in for /proc or /sys/fs/cgroup in unit tests. */
export class FixtureTree {
  readonly root = mkdtempSync(join(tmpdir(), 'coi-fixture-'));

  write(path: string, text: string): void {
    const full = join(this.root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A fresh fake /proc and cgroup tree for each test of the file, removed after it. */
export function perTestProcAndCgroup(): { proc: FixtureTree; cgroup: FixtureTree } {
  const trees = {} as { proc: FixtureTree; cgroup: FixtureTree };
  beforeEach(() => {
    trees.proc = new FixtureTree();
    trees.cgroup = new FixtureTree();
  });
  afterEach(() => {
    trees.proc.remove();
    trees.cgroup.remove();
  });
  return trees;
}

export interface FakeProcess {
  /** The container its cgroup puts it in; none: a host process. */
  container?: string;
  /** utime + stime, in clock ticks (1/100 s). */
  ticks: number;
  /** The parent's pid (1 unless given). */
  ppid?: number;
  rssKb?: number;
  uid?: number;
  /** argv; empty: a kernel thread or a zombie. */
  argv?: string[];
  comm?: string;
}

/** Writes the files a fake /proc/<pid> holds: stat, status, cmdline, cgroup. */
export function writeFakeProcess(proc: FixtureTree, pid: number, p: FakeProcess): void {
  const comm = p.comm ?? p.argv?.[0]?.split('/').pop() ?? 'x';
  // Fields 3… of /proc/<pid>/stat; utime (14) and stime (15) carry the ticks, split unevenly.
  const utime = Math.floor(p.ticks * 0.75);
  const rest = [
    `S ${p.ppid ?? 1} ${pid} ${pid} 0 -1 4194560 100 0 0 0`,
    utime,
    p.ticks - utime,
    '0 0 20 0 1 0 500',
  ];
  proc.write(`${pid}/stat`, `${pid} (${comm}) ${rest.join(' ')}\n`);
  proc.write(
    `${pid}/status`,
    `Name:\t${comm}\nUid:\t${p.uid ?? 0}\t${p.uid ?? 0}\t${p.uid ?? 0}\t${p.uid ?? 0}\n` +
      (p.rssKb === undefined ? '' : `VmRSS:\t  ${p.rssKb} kB\n`),
  );
  proc.write(`${pid}/cmdline`, (p.argv ?? []).map((a) => `${a}\0`).join(''));
  proc.write(
    `${pid}/cgroup`,
    p.container
      ? `2:cpuacct:/lxc.payload.${p.container}\n0::/lxc.payload.${p.container}/init.scope\n`
      : '0::/user.slice/user-1000.slice/session-2.scope\n',
  );
}
