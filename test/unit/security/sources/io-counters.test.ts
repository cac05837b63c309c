import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { largerCounters, readCgroupIo } from '../../../../src/security/sources/io-counters.js';

/** A fake /sys/fs/cgroup holding only the counter files of one container. */
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'coi-fake-cgroup-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const V2 = 'lxc.payload.box/io.stat';
const V1_RECURSIVE = 'blkio/lxc.payload.box/blkio.throttle.io_service_bytes_recursive';
const V1 = 'blkio/lxc.payload.box/blkio.throttle.io_service_bytes';

describe('readCgroupIo', () => {
  it("sums a container's io.stat over its devices", () => {
    write(V2, '8:0 rbytes=1000 wbytes=20 rios=3 wios=1\n259:1 rbytes=5 wbytes=7 rios=1 wios=1\n');
    expect(readCgroupIo('box', root)).toEqual({ readBytes: 1005, writeBytes: 27 });
    expect(readCgroupIo('other', root)).toBeUndefined();
  });

  it('prefers io.stat, then the recursive blkio counters, then the plain ones', () => {
    write(V1, '8:0 Read 1\n8:0 Write 2\nTotal 3\n');
    expect(readCgroupIo('box', root)).toEqual({ readBytes: 1, writeBytes: 2 });
    write(V1_RECURSIVE, '8:0 Read 10\n8:0 Write 20\nTotal 30\n');
    expect(readCgroupIo('box', root)).toEqual({ readBytes: 10, writeBytes: 20 });
    write(V2, '8:0 rbytes=100 wbytes=200 rios=1 wios=1\n');
    expect(readCgroupIo('box', root)).toEqual({ readBytes: 100, writeBytes: 200 });
  });

  it('is undefined for a container without a cgroup', () => {
    expect(readCgroupIo('box', root)).toBeUndefined();
  });
});

describe('largerCounters', () => {
  it('takes the larger of two views per direction, or the process view alone', () => {
    expect(
      largerCounters({ readBytes: 5, writeBytes: 1 }, { readBytes: 2, writeBytes: 9 }),
    ).toEqual({
      readBytes: 5,
      writeBytes: 9,
    });
    expect(largerCounters(undefined, { readBytes: 2, writeBytes: 9 })).toEqual({
      readBytes: 2,
      writeBytes: 9,
    });
  });
});
