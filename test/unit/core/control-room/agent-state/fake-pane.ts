import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFakeProcess, type FixtureTree } from '../../../../helpers/fixture-tree.js';

/** The pane line coi starts (see startTmuxSession). */
export const TOOL_LINE = [
  'bash',
  '-c',
  'trap : INT; claude --dangerously-skip-permissions; exec bash -l',
];

export const TMUX = 100;
export const SHELL = 101;
export const AGENT = 102;

/**
 * A container's processes in fake /proc and cgroup trees: systemd, the tmux server, the pane's
 * shell running the tool and the tool (its ticks given), under nested cgroups as a systemd
 * container has them.
 */
export function writePane(
  trees: { proc: FixtureTree; cgroup: FixtureTree },
  container: string,
  opts: { agentTicks?: number; shellArgv?: string[] } = {},
): void {
  const { proc, cgroup } = trees;
  writeFakeProcess(proc, 1, { container, ticks: 50, argv: ['/sbin/init'] });
  writeFakeProcess(proc, TMUX, {
    container,
    ticks: 5,
    argv: ['tmux', 'new-session', '-d'],
    comm: 'tmux: server',
  });
  writeFakeProcess(proc, SHELL, {
    container,
    ticks: 1,
    ppid: TMUX,
    argv: opts.shellArgv ?? TOOL_LINE,
    comm: 'bash',
  });
  const pids = [SHELL];
  if (opts.agentTicks !== undefined) {
    writeFakeProcess(proc, AGENT, {
      container,
      ticks: opts.agentTicks,
      ppid: SHELL,
      argv: ['claude', '--dangerously-skip-permissions'],
    });
    pids.push(AGENT);
  }
  const group = `lxc.payload.${container}`;
  cgroup.write(`${group}/cgroup.procs`, '');
  cgroup.write(`${group}/init.scope/cgroup.procs`, '1\n');
  cgroup.write(`${group}/.lxc/cgroup.procs`, [TMUX, ...pids].join('\n') + '\n');
}

/** What the agent's hooks wrote, at the path its root has in the fake /proc. */
export function writeHookFile(proc: FixtureTree, text: string, pid = AGENT): void {
  const dir = join(proc.root, `${pid}/root/home/code/.cache/coi`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'agent-state'), text);
}
