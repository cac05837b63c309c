import { describe, expect, test } from 'vitest';
import {
  findPane,
  stillSame,
} from '../../../../../src/core/control-room/agent-state/pane-processes.js';
import { perTestProcAndCgroup, writeFakeProcess } from '../../../../helpers/fixture-tree.js';
import { AGENT, SHELL, writePane } from './fake-pane.js';

const trees = perTestProcAndCgroup();
const roots = () => ({ proc: trees.proc.root, cgroup: trees.cgroup.root });

describe('findPane', () => {
  test('the pane shell runs the tool: its child is the agent', () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    expect(findPane('c1', roots())).toEqual({ kind: 'agent', shellPid: SHELL, agentPid: AGENT });
  });

  test('the tool exited and the shell ran `exec bash -l`', () => {
    writePane(trees, 'c1', { shellArgv: ['bash', '-l'] });
    expect(findPane('c1', roots())).toEqual({ kind: 'shell', shellPid: SHELL });
  });

  test('between fork and exec of the tool there is no pane yet', () => {
    writePane(trees, 'c1');
    expect(findPane('c1', roots())).toBeUndefined();
  });

  test('a login shell that tmux did not start is not the pane', () => {
    writePane(trees, 'c1', { shellArgv: ['bash', '-l'] });
    writeFakeProcess(trees.proc, 101, { container: 'c1', ticks: 1, ppid: 1, argv: ['bash', '-l'] });
    expect(findPane('c1', roots())).toBeUndefined();
  });

  test('a headless container (no tmux) and a stopped one (no cgroup) have none', () => {
    writeFakeProcess(trees.proc, 1, { container: 'c1', ticks: 1, argv: ['/sbin/init'] });
    trees.cgroup.write('lxc.payload.c1/cgroup.procs', '1\n');
    expect(findPane('c1', roots())).toBeUndefined();
    expect(findPane('c2', roots())).toBeUndefined();
  });

  test('the tool of another container is not this one', () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    expect(findPane('c2', roots())).toBeUndefined();
  });
});

describe('stillSame', () => {
  test('holds while the agent runs under the same shell', () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    const pane = findPane('c1', roots())!;
    expect(stillSame(pane, roots())).toBe(true);
  });

  test('fails once the tool exits and the shell becomes bash -l', () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    const pane = findPane('c1', roots())!;
    writeFakeProcess(trees.proc, SHELL, {
      container: 'c1',
      ticks: 1,
      ppid: 100,
      argv: ['bash', '-l'],
    });
    expect(stillSame(pane, roots())).toBe(false);
    expect(findPane('c1', roots())).toEqual({ kind: 'shell', shellPid: SHELL });
  });

  test('fails when the agent pid now belongs to another parent', () => {
    writePane(trees, 'c1', { agentTicks: 10 });
    const pane = findPane('c1', roots())!;
    writeFakeProcess(trees.proc, AGENT, { container: 'c1', ticks: 1, ppid: 1, argv: ['sleep'] });
    expect(stillSame(pane, roots())).toBe(false);
  });
});
