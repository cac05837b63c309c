import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCgroupUsage } from '../../../../src/core/top/cgroup.js';
import {
  parseCpuStat,
  parseCpuacctUsage,
  parseMemoryLimit,
} from '../../../../src/core/top/cgroup-parse.js';
import { FixtureTree } from '../../../helpers/fixture-tree.js';

describe('cgroup counter files', () => {
  it('reads cgroup v2 cpu.stat usage_usec as seconds', () => {
    const text = 'usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\nnr_periods 0\n';
    expect(parseCpuStat(text)).toBe(2.5);
    expect(parseCpuStat('user_usec 1\n')).toBeUndefined();
  });

  it('reads cgroup v1 cpuacct.usage (nanoseconds) as seconds', () => {
    expect(parseCpuacctUsage('147168812\n')).toBeCloseTo(0.147168812, 9);
    expect(parseCpuacctUsage('')).toBeUndefined();
  });

  it('treats "max" and the v1 page-counter maximum as no limit', () => {
    expect(parseMemoryLimit('max\n')).toBeUndefined();
    expect(parseMemoryLimit('9223372036854771712\n')).toBeUndefined();
    expect(parseMemoryLimit('1073741824\n')).toBe(1073741824);
    expect(parseMemoryLimit(undefined)).toBeUndefined();
  });
});

describe('readCgroupUsage', () => {
  let cgroup: FixtureTree;
  beforeEach(() => (cgroup = new FixtureTree()));
  afterEach(() => cgroup.remove());

  it('reads the unified hierarchy (cgroup v2)', () => {
    const g = 'lxc.payload.coi-a-1';
    cgroup.write(`${g}/cpu.stat`, 'usage_usec 3000000\nuser_usec 1\n');
    cgroup.write(`${g}/memory.current`, '104857600\n');
    cgroup.write(`${g}/memory.max`, '536870912\n');
    cgroup.write(`${g}/io.stat`, '8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n');
    expect(readCgroupUsage('coi-a-1', cgroup.root)).toEqual({
      cpuSeconds: 3,
      memoryBytes: 104857600,
      memoryLimitBytes: 536870912,
      io: { readBytes: 4096, writeBytes: 8192 },
    });
  });

  it('reads the v1 controllers (cpuacct, memory, blkio), with no limit set', () => {
    const g = 'lxc.payload.coi-a-1';
    cgroup.write(`cpuacct/${g}/cpuacct.usage`, '2000000000\n');
    cgroup.write(`memory/${g}/memory.usage_in_bytes`, '5238784\n');
    cgroup.write(`memory/${g}/memory.limit_in_bytes`, '9223372036854771712\n');
    cgroup.write(
      `blkio/${g}/blkio.throttle.io_service_bytes_recursive`,
      '8:0 Read 10\n8:0 Write 20\nTotal 30\n',
    );
    expect(readCgroupUsage('coi-a-1', cgroup.root)).toEqual({
      cpuSeconds: 2,
      memoryBytes: 5238784,
      io: { readBytes: 10, writeBytes: 20 },
    });
  });

  it('is undefined for a container with no cgroup here (stopped), and I/O is optional', () => {
    expect(readCgroupUsage('coi-gone-1', cgroup.root)).toBeUndefined();
    cgroup.write('lxc.payload.coi-b-1/cpu.stat', 'usage_usec 1000000\n');
    expect(readCgroupUsage('coi-b-1', cgroup.root)).toEqual({ cpuSeconds: 1, memoryBytes: 0 });
  });
});
