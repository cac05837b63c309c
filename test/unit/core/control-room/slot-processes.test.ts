import { describe, expect, test } from 'vitest';
import {
  killSlotProcess,
  SlotProcessSampler,
  userNamer,
} from '../../../../src/core/control-room/slot-processes.js';
import { perTestProcAndCgroup } from '../../../helpers/fixture-tree.js';

const trees = perTestProcAndCgroup();
const NAME = 'coi-abc-1';
const IDMAP = JSON.stringify([
  { Isuid: true, Isgid: false, Hostid: 1000000, Nsid: 0, Maprange: 1000000000 },
  { Isuid: false, Isgid: true, Hostid: 1000000, Nsid: 0, Maprange: 1000000000 },
]);
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\ncode:x:1000:1000::/home/code:/bin/bash\n';

function proc(
  pid: number,
  uid: number,
  ticks: number,
  rssKb: number,
  cmd: string,
  container = NAME,
) {
  // utime and stime are fields 14 and 15 of stat.
  const fields = Array.from({ length: 20 }, () => '0');
  fields[11] = String(ticks);
  trees.proc.write(`${pid}/stat`, `${pid} (x) ${fields.join(' ')}\n`);
  trees.proc.write(`${pid}/status`, `Uid:\t${uid}\t${uid}\t${uid}\t${uid}\nVmRSS:\t${rssKb} kB\n`);
  trees.proc.write(`${pid}/cmdline`, `${cmd.split(' ').join('\0')}\0`);
  trees.proc.write(`${pid}/cgroup`, `0::/lxc.payload.${container}/init.scope\n`);
}

describe('userNamer', () => {
  test.each([
    [1000000, 'root'],
    [1001000, 'code'],
    [1000105, '105'],
    [0, 'host:0'],
  ])('host uid %d reads as %s', (hostUid, name) => {
    expect(userNamer({ 'volatile.last_state.idmap': IDMAP }, PASSWD)(hostUid)).toBe(name);
  });

  test('reads the current map when Incus left last_state empty (as it does while running)', () => {
    const config = { 'volatile.last_state.idmap': '[]', 'volatile.idmap.current': IDMAP };
    expect(userNamer(config, PASSWD)(1001000)).toBe('code');
  });
});

describe('SlotProcessSampler', () => {
  test('reads the cgroup’s pids from the host, CPU % over the interval, busiest first', () => {
    trees.cgroup.write(`lxc.payload.${NAME}/cgroup.procs`, '10\n');
    trees.cgroup.write(`lxc.payload.${NAME}/init.scope/cgroup.procs`, '11\n');
    proc(10, 1000000, 100, 2048, '/sbin/init');
    proc(11, 1001000, 100, 4096, 'node agent.js');
    let now = 0;
    const sampler = new SlotProcessSampler(
      NAME,
      userNamer({ 'volatile.last_state.idmap': IDMAP }, PASSWD),
      { proc: trees.proc.root, cgroupRoot: trees.cgroup.root },
      () => now,
    );
    expect(sampler.read().map((p) => p.cpuPercent)).toEqual([0, 0]);
    proc(11, 1001000, 150, 4096, 'node agent.js');
    now = 1000;
    const rows = sampler.read();
    expect(rows[0]).toEqual({
      pid: 11,
      user: 'code',
      cpuPercent: 50,
      rssBytes: 4096 * 1024,
      command: 'node agent.js',
    });
    expect(rows[1]).toMatchObject({ pid: 10, user: 'root', cpuPercent: 0 });
  });
});

describe('killSlotProcess', () => {
  test('signals a pid of the container', () => {
    proc(11, 1001000, 1, 1, 'sleep 9');
    const sent: Array<[number, string]> = [];
    killSlotProcess(NAME, 11, { proc: trees.proc.root, kill: (pid, sig) => sent.push([pid, sig]) });
    expect(sent).toEqual([[11, 'SIGTERM']]);
  });

  test('refuses a pid that is now another container’s (reused) or gone', () => {
    proc(12, 1001000, 1, 1, 'sleep 9', 'coi-other-1');
    const sent: number[] = [];
    const kill = (pid: number) => sent.push(pid);
    expect(() => killSlotProcess(NAME, 12, { proc: trees.proc.root, kill })).toThrow(
      'process 12 is no longer in coi-abc-1: nothing was killed',
    );
    expect(() => killSlotProcess(NAME, 13, { proc: trees.proc.root, kill })).toThrow(/no longer/);
    expect(sent).toEqual([]);
  });
});
