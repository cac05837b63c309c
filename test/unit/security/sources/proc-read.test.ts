import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readIo } from '../../../../src/security/sources/proc-read.js';

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
