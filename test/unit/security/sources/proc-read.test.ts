import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readContainerPids,
  readCpuSeconds,
  readIo,
  readName,
  readRssBytes,
} from '../../../../src/security/sources/proc-read.js';
import { FixtureTree, writeFakeProcess } from '../../../helpers/fixture-tree.js';

/** A fake /proc holding one process's io file. */
let proc: string;

beforeEach(() => {
  proc = mkdtempSync(join(tmpdir(), 'coi-fake-proc-'));
});
afterEach(() => rmSync(proc, { recursive: true, force: true }));

function writeIo(pid: number, text: string): void {
  mkdirSync(join(proc, String(pid)), { recursive: true });
  writeFileSync(join(proc, String(pid), 'io'), text);
}

describe('readIo', () => {
  it('takes the storage-layer bytes, not the syscall ones', () => {
    writeIo(
      7,
      'rchar: 111\nwchar: 222\nsyscr: 3\nsyscw: 4\nread_bytes: 4096\nwrite_bytes: 8192\n' +
        'cancelled_write_bytes: 512\n',
    );
    expect(readIo(7, proc)).toEqual({ readBytes: 4096, writeBytes: 8192 });
  });

  it('is undefined for a process that is gone or a file without both counters', () => {
    expect(readIo(8, proc)).toBeUndefined();
    writeIo(9, 'rchar: 1\nread_bytes: 10\n');
    expect(readIo(9, proc)).toBeUndefined();
  });

  it.skipIf(!existsSync('/proc/self/io'))(
    "agrees with a key: value reading of this process's /proc/self/io",
    () => {
      // Copied first: the live counters may move between two reads.
      const text = readFileSync('/proc/self/io', 'utf8');
      writeIo(process.pid, text);
      const fields = new Map(
        text
          .trim()
          .split('\n')
          .map((line) => line.split(':').map((s) => s.trim()) as [string, string]),
      );
      expect(fields.has('read_bytes') && fields.has('write_bytes')).toBe(true);
      expect(readIo(process.pid, proc)).toEqual({
        readBytes: Number(fields.get('read_bytes')),
        writeBytes: Number(fields.get('write_bytes')),
      });
    },
  );
});

describe('the per-process readers of coi top', () => {
  let tree: FixtureTree;
  beforeEach(() => (tree = new FixtureTree()));
  afterEach(() => tree.remove());

  it('attributes processes to containers by their cgroup, host processes to none', () => {
    writeFakeProcess(tree, 10, { container: 'coi-a-1', ticks: 1 });
    writeFakeProcess(tree, 11, { ticks: 1 });
    writeFakeProcess(tree, 12, { container: 'coi-b-2', ticks: 1 });
    tree.write('self/stat', 'not a pid\n');
    const found = readContainerPids(tree.root).sort((a, b) => a.pid - b.pid);
    expect(found).toEqual([
      { pid: 10, container: 'coi-a-1' },
      { pid: 12, container: 'coi-b-2' },
    ]);
    expect(readContainerPids(join(tree.root, 'missing'))).toEqual([]);
  });

  it('adds user and system time, in seconds, whatever the command name holds', () => {
    writeFakeProcess(tree, 20, { ticks: 250, comm: 'Web (Content) x' });
    expect(readCpuSeconds(20, tree.root)).toBe(2.5);
    expect(readName(20, tree.root)).toBe('Web (Content) x');
    expect(readCpuSeconds(21, tree.root)).toBeUndefined();
  });

  it('reads resident memory, 0 for a zombie without VmRSS', () => {
    writeFakeProcess(tree, 30, { ticks: 0, rssKb: 2048 });
    writeFakeProcess(tree, 31, { ticks: 0 });
    expect(readRssBytes(30, tree.root)).toBe(2048 * 1024);
    expect(readRssBytes(31, tree.root)).toBe(0);
    expect(readRssBytes(32, tree.root)).toBeUndefined();
  });

  it.skipIf(!existsSync('/proc/self/stat'))('reads this process as ps would', () => {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = readCpuSeconds(process.pid)!;
    // Our own CPU time only grows between the two reads.
    expect(seconds).toBeGreaterThanOrEqual((Number(fields[11]) + Number(fields[12])) / 100);
    expect(readRssBytes(process.pid)).toBeGreaterThan(10 * 1024 * 1024);
    expect(readName(process.pid)).toBe(readFileSync('/proc/self/comm', 'utf8').trim());
  });
});
