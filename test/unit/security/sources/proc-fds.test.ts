import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
} from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readFds } from '../../../../src/security/sources/proc-fds.js';
import { parseUnixPeers, readUnixPeers } from '../../../../src/security/sources/unix-peers.js';

/** Against this host's real /proc: pipes and fifos are what the kernel says they are. */

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('readFds', () => {
  it('tells a pipe read end from its write end, and sees the same pipe in both processes', async () => {
    const sh = spawn('sh', ['-c', 'sleep 5 | sleep 5'], { stdio: 'ignore' });
    let pids: number[] = [];
    try {
      // Both exec'd: a child listed right after its fork may not have its pipe end yet.
      const sleeping = (pid: number) =>
        readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep');
      const children = async (): Promise<number[]> => {
        for (;;) {
          const text = readFileSync(`/proc/${sh.pid}/task/${sh.pid}/children`, 'utf8').trim();
          const pids = text.split(' ').filter(Boolean).map(Number);
          if (pids.length === 2 && pids.every(sleeping)) return pids;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      pids = await children();
      // Pids can wrap: the writer is the one whose stdout is not /dev/null.
      const stdoutPipe = (pid: number) => readlinkSync(`/proc/${pid}/fd/1`).startsWith('pipe:');
      const [writer, reader] = stdoutPipe(pids[0]!) ? pids : [pids[1], pids[0]];
      const out = readFds(writer!).find((f) => f.fd === 1)!;
      const into = readFds(reader!).find((f) => f.fd === 0)!;
      expect(out).toMatchObject({
        channel: expect.stringMatching(/^pipe:\d+$/),
        read: false,
        write: true,
      });
      expect(into).toEqual({ fd: 0, channel: out.channel, read: true, write: false });
    } finally {
      for (const pid of pids) process.kill(pid);
      sh.kill();
    }
  });

  it('names a fifo by device and inode, with its open mode', () => {
    dir = mkdtempSync(join(tmpdir(), 'coi-fds-'));
    const fifo = join(dir, 'f');
    execFileSync('mkfifo', [fifo]);
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    try {
      const { dev, ino } = statSync(fifo);
      expect(readFds(process.pid).find((f) => f.fd === fd)).toEqual({
        fd,
        channel: `fifo:${dev}:${ino}`,
        read: true,
        write: true,
      });
    } finally {
      closeSync(fd);
    }
  });

  it("links both ends of the socketpair node gives a child as its 'pipe' stdio", async () => {
    const child = spawn('sleep', ['5'], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const peers = readUnixPeers(process.pid);
      const stdin = readFds(child.pid!, undefined, peers).find((f) => f.fd === 0)!;
      expect(stdin.channel).toMatch(/^unix:\d+-\d+$/);
      const ours = readFds(process.pid, undefined, peers).filter(
        (f) => f.channel === stdin.channel,
      );
      expect(ours).toHaveLength(1);
      // Without the peers, /proc alone shows two unrelated sockets.
      expect(readFds(child.pid!).find((f) => f.fd === 0)?.channel).toBeUndefined();
    } finally {
      child.kill();
    }
  });

  it('reads the lines of the sock_diag helper, skipping anything else', () => {
    expect([...parseUnixPeers('10 11\n11 10\nbad\n12 0\n')]).toEqual([
      [10, 11],
      [11, 10],
    ]);
  });

  it('is empty for a process that is gone', () => {
    expect(readFds(2 ** 22 + 1)).toEqual([]);
  });
});
