import { beforeEach, describe, expect, it } from 'vitest';
import { readContainer, readProcesses } from '../../../../src/core/top/read.js';
import { perTestProcAndCgroup, writeFakeProcess } from '../../../helpers/fixture-tree.js';

const trees = perTestProcAndCgroup();

describe('readContainer', () => {
  it("reads the cgroup, and the network through the container's init process", () => {
    trees.cgroup.write('lxc.payload.coi-a-1/cpu.stat', 'usage_usec 1000000\n');
    trees.proc.write('77/net/dev', 'h1\nh2\n  eth0: 10 0 0 0 0 0 0 0 20 0 0 0 0 0 0 0\n');
    const paths = { proc: trees.proc.root, cgroupRoot: trees.cgroup.root };
    expect(readContainer('coi-a-1', 77, paths)).toEqual({
      usage: { cpuSeconds: 1, memoryBytes: 0 },
      net: { rxBytes: 10, txBytes: 20 },
    });
    // Stopped meanwhile: no cgroup, no init process.
    expect(readContainer('coi-b-1', 0, paths)).toEqual({});
  });
});

describe('readProcesses', () => {
  beforeEach(() => {
    writeFakeProcess(trees.proc, 10, {
      container: 'coi-a-1',
      ticks: 150,
      rssKb: 4,
      uid: 1001000,
      argv: ['node', 'server.js'],
    });
    writeFakeProcess(trees.proc, 11, { container: 'coi-a-1', ticks: 1, comm: 'defunct' });
    writeFakeProcess(trees.proc, 12, { container: 'coi-b-1', ticks: 1, argv: ['other'] });
    writeFakeProcess(trees.proc, 13, { ticks: 1, argv: ['host'] });
  });

  it('the first reading only takes CPU time, of the wanted containers', () => {
    const found = readProcesses(new Set(['coi-a-1']), false, { proc: trees.proc.root });
    expect(found.sort((a, b) => a.pid - b.pid)).toEqual([
      { container: 'coi-a-1', pid: 10, cpuSeconds: 1.5, rssBytes: 0, command: '' },
      { container: 'coi-a-1', pid: 11, cpuSeconds: 0.01, rssBytes: 0, command: '' },
    ]);
  });

  it('the second also memory, owner and command (the name when argv is empty)', () => {
    const found = readProcesses(new Set(['coi-a-1']), true, { proc: trees.proc.root });
    expect(found.sort((a, b) => a.pid - b.pid)).toEqual([
      {
        container: 'coi-a-1',
        pid: 10,
        uid: 1001000,
        cpuSeconds: 1.5,
        rssBytes: 4096,
        command: 'node server.js',
      },
      { container: 'coi-a-1', pid: 11, uid: 0, cpuSeconds: 0.01, rssBytes: 0, command: 'defunct' },
    ]);
  });
});
