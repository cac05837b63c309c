import { describe, expect, it } from 'vitest';
import { parseTopOptions, type TopFlags } from '../../../../src/core/top/options.js';
import { runningByNameOrAlias, topPass } from '../../../../src/core/top/top.js';
import { toCoiContainer } from '../../../../src/shared/coi-container.js';
import { containerName } from '../../../../src/shared/naming.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';
import { perTestProcAndCgroup, writeFakeProcess } from '../../../helpers/fixture-tree.js';

/**
 * One pass of `coi top` over a fake Incus and fixture /proc and cgroup trees; the "sleep" between
 * the two readings moves the counters on, as the interval would.
 */

const PREFIX = 'coi-t-';
const busy = containerName('/home/u/busy', 1, PREFIX);
const idle = containerName('/home/u/idle', 1, PREFIX);
const stopped = containerName('/home/u/old', 1, PREFIX);

const trees = perTestProcAndCgroup();

const incus = () =>
  new FakeIncus([
    { name: busy, config: { 'user.coi.workspace': '/home/u/busy', 'user.coi.alias': 'api' } },
    { name: idle, config: { 'user.coi.workspace': '/home/u/idle' } },
    { name: stopped, status: 'Stopped' },
  ]);

function cgroupAt(name: string, cpuUsec: number, memory: number): void {
  trees.cgroup.write(`lxc.payload.${name}/cpu.stat`, `usage_usec ${cpuUsec}\n`);
  trees.cgroup.write(`lxc.payload.${name}/memory.current`, `${memory}\n`);
  trees.cgroup.write(`lxc.payload.${name}/memory.max`, 'max\n');
}

async function pass(name: string | undefined, flags: TopFlags, advance: () => void) {
  const opts = parseTopOptions(name, { interval: '1', ...flags });
  return topPass(
    {
      incus: incus(),
      prefix: PREFIX,
      home: '/home/u',
      proc: trees.proc.root,
      cgroupRoot: trees.cgroup.root,
      sleep: () => Promise.resolve(advance()),
    },
    opts,
  );
}

describe('coi top, one pass', () => {
  it('shows the running containers, busiest first, from their cgroup deltas', async () => {
    cgroupAt(busy, 0, 64 * 1024 * 1024);
    cgroupAt(idle, 0, 8 * 1024 * 1024);
    const text = await pass(undefined, {}, () => {
      // Whatever time the fake sleep took, far more CPU than that passed: 100 % or more.
      cgroupAt(busy, 60_000_000, 64 * 1024 * 1024);
    });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CONTAINER\s+ALIAS\s+CPU%\s+MEM\s+DISK R\/W\s+NET R\/W\s+WORKSPACE$/);
    expect(lines[1]).toMatch(new RegExp(`^${busy}\\s+api\\s+\\d{3,}%\\s+64\\.0 MB\\s.*~/busy$`));
    expect(lines[2]).toMatch(new RegExp(`^${idle}\\s+-\\s+0%\\s+8\\.0 MB\\s.*~/idle$`));
    expect(text).not.toContain(stopped);
  });

  it('prints the JSON rows of the Go coi', async () => {
    cgroupAt(busy, 0, 1024 * 1024);
    const rows = JSON.parse(await pass(undefined, { json: true, sort: 'mem' }, () => {})) as Array<
      Record<string, unknown>
    >;
    expect(rows.map((r) => r.name)).toEqual([busy, idle]);
    expect(rows[0]).toMatchObject({ name: busy, alias: 'api', workspace: '/home/u/busy' });
    expect(Object.keys(rows[1]!)).toEqual([
      'name',
      'workspace',
      'cpu_percent',
      'memory_mb',
      'disk_read_mb_per_sec',
      'disk_write_mb_per_sec',
      'net_rx_mb_per_sec',
      'net_tx_mb_per_sec',
    ]);
  });

  it("shows a container's processes by host pid, found by its alias", async () => {
    writeFakeProcess(trees.proc, 4242, {
      container: busy,
      ticks: 0,
      rssKb: 1536,
      uid: 1001000,
      argv: ['yes'],
    });
    writeFakeProcess(trees.proc, 4300, { container: idle, ticks: 0, argv: ['sleep', '1000'] });
    writeFakeProcess(trees.proc, 999, { ticks: 0, argv: ['host-only'] });
    const text = await pass('api', {}, () =>
      writeFakeProcess(trees.proc, 4242, {
        container: busy,
        ticks: 10_000,
        rssKb: 1536,
        uid: 1001000,
        argv: ['yes'],
      }),
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^PID\s+USER\s+CPU%\s+MEM\s+COMMAND$/);
    expect(lines[1]).toMatch(/^4242\s+1001000\s+\d{3,}%\s+1\.5 MB\s+yes$/);
    expect(text).not.toContain('4300');
    expect(text).not.toContain('host-only');
    expect(text).toContain('PIDs are host-side');
  });

  it('--procs covers every running container, with a CONTAINER column', async () => {
    writeFakeProcess(trees.proc, 4242, { container: busy, ticks: 0, argv: ['yes'] });
    writeFakeProcess(trees.proc, 4300, { container: idle, ticks: 0, argv: ['sleep', '1000'] });
    const rows = JSON.parse(await pass(undefined, { procs: true, json: true }, () => {})) as Array<{
      container: string;
      pid: number;
    }>;
    expect(rows.map((r) => [r.container, r.pid]).sort()).toEqual([
      [busy, 4242],
      [idle, 4300],
    ]);
  });

  it('says so when nothing runs: text and an empty JSON list', async () => {
    const none = {
      incus: new FakeIncus([{ name: stopped, status: 'Stopped' }]),
      prefix: PREFIX,
      home: '/',
    };
    expect(await topPass(none, parseTopOptions(undefined, {}))).toBe('No running containers.\n');
    expect(await topPass(none, parseTopOptions(undefined, { procs: true, json: true }))).toBe(
      '[]\n',
    );
  });
});

describe('runningByNameOrAlias', () => {
  it('finds by name or alias and refuses a missing or stopped container', async () => {
    const list = (await incus().instances.listFull()).map((i) => toCoiContainer(i, PREFIX)!);
    expect(runningByNameOrAlias(list, busy).name).toBe(busy);
    expect(runningByNameOrAlias(list, 'api').name).toBe(busy);
    expect(() => runningByNameOrAlias(list, 'nope')).toThrow('container "nope" not found');
    expect(() => runningByNameOrAlias(list, stopped)).toThrow(
      `container ${stopped} is not running`,
    );
  });
});
