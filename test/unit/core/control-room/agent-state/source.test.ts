import { describe, expect, test } from 'vitest';
import { AgentStateSource } from '../../../../../src/core/control-room/agent-state/source.js';
import type { AgentState } from '../../../../../src/core/control-room/agent-state/state.js';
import { perTestProcAndCgroup, writeFakeProcess } from '../../../../helpers/fixture-tree.js';
import { AGENT, SHELL, writeHookFile, writePane } from './fake-pane.js';

const trees = perTestProcAndCgroup();
const T0 = 1_764_590_000_000;

function setup(slots = [{ name: 'c1', codeUser: 'code' }]) {
  const batches: Array<Record<string, AgentState>> = [];
  const pulls: string[] = [];
  let now = T0;
  const source = new AgentStateSource(
    { setAgentStates: (batch) => batches.push(batch) },
    {
      slots: () => slots,
      files: {
        pull: async (container) => {
          pulls.push(container);
          throw new Error('the direct read works here');
        },
      },
      roots: { proc: trees.proc.root, cgroup: trees.cgroup.root },
      now: () => now,
    },
  );
  const tick = async (ms = 1000) => {
    now += ms;
    await source.tick();
    return batches.at(-1);
  };
  return { source, batches, pulls, tick, slots };
}

const setTicks = (ticks: number) =>
  writeFakeProcess(trees.proc, AGENT, {
    container: 'c1',
    ticks,
    ppid: SHELL,
    argv: ['claude'],
  });

describe('AgentStateSource', () => {
  test('reports what the hooks wrote, and tells the sink only about changes', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    writeHookFile(trees.proc, `approval ${T0}`);
    const s = setup();
    expect(await s.tick()).toEqual({ c1: 'approval' });
    await s.tick();
    await s.tick();
    expect(s.batches).toHaveLength(1);
    expect(s.pulls).toEqual([]);
  });

  test('reads the file again only after the agent used CPU (its hooks are its children)', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    writeHookFile(trees.proc, `working ${T0}`);
    const s = setup();
    expect(await s.tick()).toEqual({ c1: 'working' });
    // A change without CPU cannot come from the agent's hooks: it is not read.
    writeHookFile(trees.proc, `input ${T0 + 1500}`);
    expect(await s.tick()).toEqual({ c1: 'working' });
    setTicks(11);
    expect(await s.tick()).toEqual({ c1: 'input' });
  });

  test('reads once more after the CPU stopped (a hook may finish after the sample)', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    writeHookFile(trees.proc, `working ${T0}`);
    const s = setup();
    await s.tick();
    setTicks(20);
    await s.tick();
    writeHookFile(trees.proc, `input ${T0 + 2500}`);
    expect(await s.tick()).toEqual({ c1: 'input' });
  });

  test('an answered permission prompt turns into working when the tool runs', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    writeHookFile(trees.proc, `approval ${T0}`);
    const s = setup();
    expect(await s.tick()).toEqual({ c1: 'approval' });
    await s.tick(3000);
    setTicks(30);
    expect(await s.tick()).toEqual({ c1: 'working' });
  });

  test('without hooks: CPU is working, quiet is idle', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    const s = setup();
    expect(await s.tick()).toEqual({ c1: 'idle' });
    setTicks(20);
    expect(await s.tick()).toEqual({ c1: 'working' });
    // One tick of CPU is a waiting TUI's timer, not work.
    setTicks(21);
    await s.tick(5000);
    expect(s.batches.at(-1)).toEqual({ c1: 'idle' });
  });

  test('the tool exits and leaves the shell: exited, whatever the hooks said', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    writeHookFile(trees.proc, `working ${T0}`);
    const s = setup();
    await s.tick();
    writePane(trees, 'c1', { shellArgv: ['bash', '-l'] });
    expect(await s.tick()).toEqual({ c1: 'exited' });
  });

  test('a slot no longer running leaves the batch; one without a pane has no state', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    const s = setup([
      { name: 'c1', codeUser: 'code' },
      { name: 'c2', codeUser: 'code' },
    ]);
    expect(await s.tick()).toEqual({ c1: 'idle' });
    s.slots.splice(0, 1);
    expect(await s.tick()).toEqual({});
  });
});
