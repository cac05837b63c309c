import { describe, expect, test } from 'vitest';
import {
  DENIED,
  HookFileReader,
} from '../../../../../src/core/control-room/agent-state/hook-file.js';
import { AgentStateSource } from '../../../../../src/core/control-room/agent-state/source.js';
import type { AgentState } from '../../../../../src/core/control-room/agent-state/state.js';
import { perTestProcAndCgroup, writeFakeProcess } from '../../../../helpers/fixture-tree.js';
import { AGENT, SHELL, writeHookFile, writePane } from './fake-pane.js';

const trees = perTestProcAndCgroup();
const T0 = 1_764_590_000_000;

/**
 * A source over the fake trees. `direct`: the state file is read through the fake /proc (as
 * root does); `api`: the direct way is refused and the file API answers with `api.text`.
 */
function setup(how: 'direct' | 'api', slots = [{ name: 'c1', codeUser: 'code' }]) {
  const batches: Array<Record<string, AgentState>> = [];
  const api = { text: undefined as string | undefined, pulls: 0 };
  const files = {
    pull: async () => {
      api.pulls++;
      if (api.text === undefined) throw new Error('not found');
      return Buffer.from(api.text);
    },
  };
  let now = T0;
  const source = new AgentStateSource(
    { setAgentStates: (batch) => batches.push(batch) },
    {
      slots: () => slots,
      reader:
        how === 'direct'
          ? HookFileReader.throughProc(files, trees.proc.root)
          : new HookFileReader(files, () => DENIED),
      roots: { proc: trees.proc.root, cgroup: trees.cgroup.root },
      now: () => now,
    },
  );
  const tick = async (ms = 1000) => {
    now += ms;
    await source.tick();
    return batches.at(-1);
  };
  return { batches, api, tick, slots };
}

const setTicks = (ticks: number) =>
  writeFakeProcess(trees.proc, AGENT, { container: 'c1', ticks, ppid: SHELL, argv: ['claude'] });

describe('AgentStateSource', () => {
  test('reports what the hooks wrote, and tells the sink only about changes', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    writeHookFile(trees.proc, `approval ${T0}`);
    const s = setup('direct');
    expect(await s.tick()).toEqual({ c1: 'approval' });
    await s.tick();
    await s.tick();
    expect(s.batches).toHaveLength(1);
    expect(s.api.pulls).toBe(0);
  });

  test('read through /proc, a new report shows at the next tick', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    writeHookFile(trees.proc, `working ${T0}`);
    const s = setup('direct');
    expect(await s.tick()).toEqual({ c1: 'working' });
    writeHookFile(trees.proc, `input ${T0 + 1500}`);
    expect(await s.tick()).toEqual({ c1: 'input' });
  });

  test('an answered permission prompt turns into working when the tool runs', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    writeHookFile(trees.proc, `approval ${T0}`);
    const s = setup('direct');
    expect(await s.tick()).toEqual({ c1: 'approval' });
    await s.tick(3000);
    setTicks(30);
    expect(await s.tick()).toEqual({ c1: 'working' });
  });

  test('without hooks: CPU is working, quiet is idle', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    const s = setup('direct');
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
    const s = setup('direct');
    await s.tick();
    writePane(trees, 'c1', { shellArgv: ['bash', '-l'] });
    expect(await s.tick()).toEqual({ c1: 'exited' });
  });

  test('a slot no longer running leaves the batch; one without a pane has no state', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    const s = setup('direct', [
      { name: 'c1', codeUser: 'code' },
      { name: 'c2', codeUser: 'code' },
    ]);
    expect(await s.tick()).toEqual({ c1: 'idle' });
    s.slots.splice(0, 1);
    expect(await s.tick()).toEqual({});
  });
});

describe('AgentStateSource over the Incus file API', () => {
  test('asks again only after the agent used CPU (its hooks are its children)', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    const s = setup('api');
    s.api.text = `working ${T0}`;
    expect(await s.tick()).toEqual({ c1: 'working' });
    s.api.text = `input ${T0 + 1500}`;
    expect(await s.tick()).toEqual({ c1: 'working' });
    expect(s.api.pulls).toBe(1);
    setTicks(11);
    expect(await s.tick()).toEqual({ c1: 'input' });
  });

  test('asks once more after the CPU stopped (a hook may finish after the sample)', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    const s = setup('api');
    s.api.text = `working ${T0}`;
    await s.tick();
    setTicks(20);
    await s.tick();
    s.api.text = `input ${T0 + 2500}`;
    expect(await s.tick()).toEqual({ c1: 'input' });
    await s.tick();
    expect(s.api.pulls).toBe(3);
  });

  test('and every 10 s even when the samples saw no CPU', async () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    const s = setup('api');
    s.api.text = `working ${T0}`;
    await s.tick();
    s.api.text = `approval ${T0 + 500}`;
    expect(await s.tick(9000)).toEqual({ c1: 'working' });
    expect(await s.tick(1000)).toEqual({ c1: 'approval' });
  });
});

describe('AgentStateSource loop', () => {
  test('ticks every interval, survives a failed tick, and stops', async () => {
    let calls = 0;
    const source = new AgentStateSource(
      { setAgentStates: () => undefined },
      {
        slots: () => {
          calls++;
          if (calls === 1) throw new Error('the store went away for a moment');
          return [];
        },
        reader: new HookFileReader({ pull: async () => Buffer.from('') }, () => undefined),
        roots: { proc: trees.proc.root, cgroup: trees.cgroup.root },
        intervalMs: 5,
      },
    );
    source.start();
    await new Promise((r) => setTimeout(r, 60));
    source.stop();
    expect(calls).toBeGreaterThanOrEqual(3);
    const stoppedAt = calls;
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(stoppedAt);
  });
});
