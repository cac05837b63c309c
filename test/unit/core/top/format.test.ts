import { describe, expect, it } from 'vitest';
import {
  alignColumns,
  collapseHome,
  fixed,
  formatContainerTable,
  formatMemory,
  formatProcessTable,
  formatRate,
  formatSize,
  truncate,
} from '../../../../src/core/top/format.js';
import type { ContainerTopRow, ProcessTopRow } from '../../../../src/core/top/rows.js';

describe('sizes and rates', () => {
  it('prints bytes in powers of 1024 with one decimal, as the Go coi does', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(1023)).toBe('1023 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(1024 * 1024 - 1)).toBe('1024.0 KB');
    expect(formatSize(256 * 1024 * 1024)).toBe('256.0 MB');
    expect(formatSize(3 * 1024 ** 3)).toBe('3.0 GB');
    // 1.25 KB and 1.75 KB are exact halves: Go rounds them to the even digit.
    expect(formatSize(1280)).toBe('1.2 KB');
    expect(formatSize(1792)).toBe('1.8 KB');
  });

  it("rounds as Go's %.Nf does", () => {
    expect(fixed(0.5, 0)).toBe('0');
    expect(fixed(1.5, 0)).toBe('2');
    expect(fixed(2.5, 0)).toBe('2');
    expect(fixed(99.51, 0)).toBe('100');
    expect(fixed(1.04, 1)).toBe('1.0');
  });

  it('shows memory used, with the limit when there is one, and rates per second', () => {
    expect(formatMemory(256)).toBe('256.0 MB');
    expect(formatMemory(256, 1024)).toBe('256.0 MB/1.0 GB');
    expect(formatRate(0)).toBe('0 B/s');
    expect(formatRate(1.5)).toBe('1.5 MB/s');
  });

  it('collapses the home directory and truncates long commands', () => {
    expect(collapseHome('/home/tester', '/home/tester')).toBe('~');
    expect(collapseHome('/home/tester/work/api', '/home/tester')).toBe('~/work/api');
    expect(collapseHome('/home/testerx/a', '/home/tester')).toBe('/home/testerx/a');
    expect(collapseHome('', '/home/tester')).toBe('');
    expect(truncate('short', 60)).toBe('short');
    expect(truncate('0123456789', 5)).toBe('0123…');
    expect(truncate('ééééé-ééééé', 6)).toBe('ééééé…');
  });
});

describe('tables', () => {
  it('aligns columns two spaces apart and does not pad the last one', () => {
    expect(
      alignColumns([
        ['A', 'BB', 'C'],
        ['aaaa', 'b', 'cccc'],
      ]),
    ).toBe('A     BB  C\naaaa  b   cccc\n');
  });

  it('lays out the container view as the Go coi', () => {
    const row: ContainerTopRow = {
      name: 'coi-abc-1',
      cpu_percent: 101.6,
      memory_mb: 256,
      memory_limit_mb: 1024,
      workspace: '/home/u/api',
      disk_read_mb_per_sec: 0,
      disk_write_mb_per_sec: 1.5,
      net_rx_mb_per_sec: 0.5,
      net_tx_mb_per_sec: 0,
    };
    expect(formatContainerTable([row], '/home/u')).toBe(
      'CONTAINER  ALIAS  CPU%  MEM              DISK R/W          NET R/W             WORKSPACE\n' +
        'coi-abc-1  -      102%  256.0 MB/1.0 GB  0 B/s / 1.5 MB/s  512.0 KB/s / 0 B/s  ~/api\n',
    );
  });

  it('shows processes with or without the CONTAINER column, and the kill hint', () => {
    const row: ProcessTopRow = {
      container: 'coi-abc-1',
      pid: 4242,
      user: '1001000',
      cpu_percent: 99.4,
      memory_mb: 1.5,
      command: 'yes',
    };
    const hint = '\nPIDs are host-side — kill a runaway with: sudo kill <PID>\n';
    expect(formatProcessTable([row], false)).toBe(
      'PID   USER     CPU%  MEM     COMMAND\n4242  1001000  99%   1.5 MB  yes\n' + hint,
    );
    expect(formatProcessTable([row], true)).toBe(
      'CONTAINER  PID   USER     CPU%  MEM     COMMAND\n' +
        'coi-abc-1  4242  1001000  99%   1.5 MB  yes\n' +
        hint,
    );
    expect(formatProcessTable([], true)).toBe('CONTAINER  PID  USER  CPU%  MEM  COMMAND\n');
  });
});
