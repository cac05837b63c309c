import { describe, expect, it } from 'vitest';
import {
  containerRow,
  processRows,
  rate,
  sortContainerRows,
  sortProcessRows,
  type ContainerTopRow,
  type ProcessReading,
  type ProcessTopRow,
} from '../../../../src/core/top/rows.js';

const MB = 1024 * 1024;
const id = { name: 'coi-a-1', alias: '', workspace: '/home/u/api' };

describe('rate', () => {
  it('is the per-second delta, 0 on a counter reset or no time', () => {
    expect(rate(0, 10, 2)).toBe(5);
    expect(rate(100, 100, 2)).toBe(0);
    expect(rate(50, 10, 2)).toBe(0);
    expect(rate(0, 5, 0)).toBe(0);
  });
});

describe('containerRow', () => {
  const before = {
    usage: { cpuSeconds: 10, memoryBytes: 50 * MB, io: { readBytes: 0, writeBytes: 0 } },
    net: { rxBytes: 1000, txBytes: 0 },
  };
  const after = {
    usage: {
      cpuSeconds: 14,
      memoryBytes: 64 * MB,
      memoryLimitBytes: 1024 * MB,
      io: { readBytes: 4 * MB, writeBytes: 8 * MB },
    },
    net: { rxBytes: 1000 + 2 * MB, txBytes: MB },
  };

  it('turns two readings into CPU % of one core and MB/s, in the Go coi field order', () => {
    const row = containerRow({ ...id, alias: 'api' }, before, after, 2);
    expect(row).toEqual({
      name: 'coi-a-1',
      alias: 'api',
      workspace: '/home/u/api',
      cpu_percent: 200,
      memory_mb: 64,
      memory_limit_mb: 1024,
      disk_read_mb_per_sec: 2,
      disk_write_mb_per_sec: 4,
      net_rx_mb_per_sec: 1,
      net_tx_mb_per_sec: 0.5,
    });
    expect(Object.keys(row)).toEqual([
      'name',
      'alias',
      'workspace',
      'cpu_percent',
      'memory_mb',
      'memory_limit_mb',
      'disk_read_mb_per_sec',
      'disk_write_mb_per_sec',
      'net_rx_mb_per_sec',
      'net_tx_mb_per_sec',
    ]);
  });

  it('leaves out an empty alias and workspace and an absent limit, as omitempty does', () => {
    const row = containerRow({ name: 'coi-a-1', alias: '', workspace: '' }, before, before, 2);
    expect(Object.keys(row)).not.toContain('alias');
    expect(Object.keys(row)).not.toContain('workspace');
    expect(Object.keys(row)).not.toContain('memory_limit_mb');
    expect(row.cpu_percent).toBe(0);
  });

  it('without a first reading shows memory but no lifetime counter as one interval', () => {
    const row = containerRow(id, undefined, after, 2);
    expect(row.memory_mb).toBe(64);
    expect(row.cpu_percent).toBe(0);
    expect(row.disk_read_mb_per_sec).toBe(0);
    expect(row.net_rx_mb_per_sec).toBe(0);
  });

  it('without a second reading keeps the container visible with zeros', () => {
    const row = containerRow(id, before, undefined, 2);
    expect(row).toMatchObject({ name: 'coi-a-1', cpu_percent: 0, memory_mb: 0 });
  });

  it('counts no disk rate where a reading has no I/O accounting', () => {
    const noIo = { ...after, usage: { cpuSeconds: 14, memoryBytes: 0 } };
    expect(containerRow(id, before, noIo, 2).disk_write_mb_per_sec).toBe(0);
  });
});

describe('processRows', () => {
  const p = (pid: number, cpuSeconds: number, extra: Partial<ProcessReading> = {}) => ({
    container: 'coi-a-1',
    pid,
    uid: 1001000,
    cpuSeconds,
    rssBytes: 3 * MB,
    command: 'yes',
    ...extra,
  });

  it('rates CPU per process; a process born in between reads 0', () => {
    const rows = processRows([p(1, 1), p(2, 5)], [p(1, 1.5), p(2, 6), p(3, 9)], 1);
    expect(rows).toEqual([
      {
        container: 'coi-a-1',
        pid: 1,
        user: '1001000',
        cpu_percent: 50,
        memory_mb: 3,
        command: 'yes',
      },
      {
        container: 'coi-a-1',
        pid: 2,
        user: '1001000',
        cpu_percent: 100,
        memory_mb: 3,
        command: 'yes',
      },
      {
        container: 'coi-a-1',
        pid: 3,
        user: '1001000',
        cpu_percent: 0,
        memory_mb: 3,
        command: 'yes',
      },
    ]);
  });

  it('matches processes by container and pid, and leaves an unknown owner empty', () => {
    const rows = processRows([p(1, 0, { container: 'other' })], [p(1, 2, { uid: undefined })], 1);
    expect(rows[0]).toMatchObject({ cpu_percent: 0, user: '' });
    expect(Object.keys(rows[0]!)).toEqual([
      'container',
      'pid',
      'user',
      'cpu_percent',
      'memory_mb',
      'command',
    ]);
  });
});

describe('sorting', () => {
  const c = (name: string, cpu: number, mem: number, disk: number, net: number) =>
    ({
      name,
      cpu_percent: cpu,
      memory_mb: mem,
      disk_read_mb_per_sec: disk,
      disk_write_mb_per_sec: 0,
      net_rx_mb_per_sec: 0,
      net_tx_mb_per_sec: net,
    }) satisfies ContainerTopRow;
  const rows = [c('c-low', 5, 900, 1, 9), c('c-high', 200, 100, 0, 0), c('c-mid', 50, 500, 8, 4)];
  const names = (r: ContainerTopRow[]) => r.map((x) => x.name);

  it('puts the busiest container first by the chosen key', () => {
    expect(names(sortContainerRows(rows, 'cpu'))).toEqual(['c-high', 'c-mid', 'c-low']);
    expect(names(sortContainerRows(rows, 'mem'))).toEqual(['c-low', 'c-mid', 'c-high']);
    expect(names(sortContainerRows(rows, 'disk'))).toEqual(['c-mid', 'c-low', 'c-high']);
    expect(names(sortContainerRows(rows, 'net'))).toEqual(['c-low', 'c-mid', 'c-high']);
  });

  it('breaks ties by name for containers, by pid for processes', () => {
    expect(names(sortContainerRows([c('b', 1, 0, 0, 0), c('a', 1, 0, 0, 0)], 'cpu'))).toEqual([
      'a',
      'b',
    ]);
    const proc = (pid: number, cpu: number, mem: number): ProcessTopRow => ({
      container: 'x',
      pid,
      user: '',
      cpu_percent: cpu,
      memory_mb: mem,
      command: '',
    });
    const procs = [proc(3, 10, 5), proc(1, 90, 1), proc(2, 10, 50)];
    expect(sortProcessRows(procs, 'cpu').map((r) => r.pid)).toEqual([1, 2, 3]);
    expect(sortProcessRows(procs, 'mem').map((r) => r.pid)).toEqual([2, 3, 1]);
  });
});
