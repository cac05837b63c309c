import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cgroupPidsReader, readCgroupPids } from '../../../../src/security/sources/cgroup-pids.js';
import { readCgroupProcs } from '../../../../src/security/sources/cgroup-procs.js';
import { readDiskUsage } from '../../../../src/security/sources/disk-usage.js';
import {
  containerUid,
  readProcOwner,
  readUidMap,
  readUids,
} from '../../../../src/security/sources/proc-credentials.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coi-host-readers-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

describe('cgroup process counts', () => {
  it('reads pids.current from the v2 group, else the v1 pids controller', () => {
    write('pids/lxc.payload.c1/pids.current', '37\n');
    expect(readCgroupPids('c1', dir)).toBe(37);
    write('lxc.payload.c1/pids.current', '12\n');
    expect(readCgroupPids('c1', dir)).toBe(12);
    expect(readCgroupPids('gone', dir)).toBe(undefined);
  });

  it('keeps reading the file it found, and looks again once that one is gone', () => {
    const read = cgroupPidsReader('c1', dir);
    expect(read()).toBe(undefined);
    write('pids/lxc.payload.c1/pids.current', '37\n');
    expect(read()).toBe(37);
    // The host's layout does not change under a running container: the v1 file stays the one.
    write('lxc.payload.c1/pids.current', '12\n');
    expect(read()).toBe(37);
    rmSync(join(dir, 'pids'), { recursive: true });
    expect(read()).toBe(12);
  });

  it("lists the PIDs of the group and of systemd's groups inside it", () => {
    write('pids/lxc.payload.c1/cgroup.procs', '100\n');
    write('pids/lxc.payload.c1/init.scope/cgroup.procs', '101\n');
    write('pids/lxc.payload.c1/system.slice/cron.service/cgroup.procs', '102\n103\n');
    expect(readCgroupProcs('c1', dir).sort()).toEqual([100, 101, 102, 103]);
    expect(readCgroupProcs('gone', dir)).toEqual([]);
  });
});

describe('process credentials', () => {
  it('maps host uids through the uid map and reads real and effective uids', () => {
    write('7/uid_map', '         0    1000000      65536\n');
    write('7/status', 'Name:\tsh\nUid:\t1001000\t1000000\t1000000\t1000000\n');
    const map = readUidMap(7, dir);
    expect(map).toEqual([{ inside: 0, outside: 1_000_000, count: 65_536 }]);
    const uids = readUids(7, dir)!;
    expect(containerUid(uids.real, map)).toBe(1000);
    expect(containerUid(uids.effective, map)).toBe(0);
    expect(containerUid(0, map)).toBe(undefined);
  });
});

describe('the owner of a /proc entry', () => {
  it("is a live process's effective uid, and undefined once it is gone", () => {
    expect(readProcOwner(process.pid)).toBe(process.geteuid!());
    write('7/status', 'Uid:\t0\t0\t0\t0\n');
    expect(readProcOwner(8, dir)).toBe(undefined);
  });
});

describe('disk usage through /proc/<pid>/root', () => {
  it('measures the root filesystem, and /tmp only when it is a filesystem of its own', () => {
    mkdirSync(join(dir, 'rootfs', 'tmp'), { recursive: true });
    mkdirSync(join(dir, 'proc', '9'), { recursive: true });
    symlinkSync(join(dir, 'rootfs'), join(dir, 'proc', '9', 'root'));
    const usages = readDiskUsage(9, join(dir, 'proc'));
    expect(usages.map((u) => u.path)).toEqual(['/']);
    expect(usages[0]!.usedPercent).toBeGreaterThanOrEqual(0);
    expect(usages[0]!.usedPercent).toBeLessThanOrEqual(100);
    expect(readDiskUsage(10, join(dir, 'proc'))).toEqual([]);
  });
});
