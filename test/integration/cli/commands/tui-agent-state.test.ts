import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DENIED, HookFileReader } from '../../../../src/core/control-room/agent-state/hook-file.js';
import { findPane } from '../../../../src/core/control-room/agent-state/pane-processes.js';
import { AgentStateSource } from '../../../../src/core/control-room/agent-state/source.js';
import {
  AGENT_STATE_FILE,
  parseHookReport,
  type AgentState,
} from '../../../../src/core/control-room/agent-state/state.js';
import { CLAUDE_MANAGED_SETTINGS } from '../../../../src/core/tools/claude-settings.js';
import { ExecApi } from '../../../../src/incus/exec.js';
import { FilesApi } from '../../../../src/incus/files.js';
import { containerName, tmuxSessionName } from '../../../../src/shared/naming.js';
import type { PtySession } from '../../../../src/ui/terminal/pty-session.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { deleteTestContainer, incus } from '../../../helpers/testbed.js';
import { startTuiPty, waitFor as waitForScreen } from '../../../helpers/tui-pty.js';

/**
 * "Who needs me" end to end: `coi tui` on a real pty against the real daemon starts a slot with
 * the stand-in agent; the hook coi's managed policy gives Claude Code's permission prompt is run
 * in the container as the agent would run it, and the room shows it, counts it and jumps to it;
 * the agent's exit leaves the shell, shown as exited. No exec reads the state: the host does.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"
`;
const CODE_UID = 1000;
const STATE_PATH = `/home/code/${AGENT_STATE_FILE}`;

let box: CoiSandbox;
let workspace: string;
let tui: PtySession | undefined;
const files = () => new FilesApi(incus());
const exec = () => new ExecApi(incus());

beforeAll(() => {
  ensureBuilt();
  box = new CoiSandbox(CONFIG);
  workspace = box.workspace('who-ws');
});

afterAll(async () => {
  tui?.kill();
  await deleteTestContainer(containerName(workspace, 1, box.prefix));
  await box?.remove();
});

function startTui(): PtySession {
  return startTuiPty(box, workspace, { cols: 120, rows: 30 });
}

const waitFor = (check: (screen: string) => boolean, what: string, ms?: number) =>
  waitForScreen(tui!, check, what, ms);

/** The one slot row (its name is cut to the column: the workspace's only slot). */
const slotRow = (screen: string) => screen.split('\n').find((l) => /^ {2}coi-/.test(l)) ?? '';

/** The shell line coi's managed policy runs for a Claude Code event (and notification type). */
async function hookCommand(name: string, event: string, matcher?: string): Promise<string> {
  const policy = JSON.parse((await files().pull(name, CLAUDE_MANAGED_SETTINGS)).toString()) as {
    hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ command: string }> }>>;
  };
  const entry = policy.hooks[event]?.find((e) => matcher === undefined || e.matcher === matcher);
  if (!entry) throw new Error(`no ${event} ${matcher ?? ''} hook in ${CLAUDE_MANAGED_SETTINGS}`);
  return entry.hooks[0]!.command;
}

async function runAsAgent(name: string, command: string[]): Promise<void> {
  const result = await exec().run(name, command, {
    user: CODE_UID,
    group: CODE_UID,
    environment: { HOME: '/home/code' },
  });
  expect(result.exitCode, result.stderr.toString()).toBe(0);
}

describe('coi tui: who needs me', () => {
  it('shows the state the hooks report, counts who needs you, jumps there, and shows the exit', async () => {
    const name = containerName(workspace, 1, box.prefix);
    tui = startTui();
    await waitFor((s) => s.includes('0 need you') && s.includes('AGENT'), 'first frame');
    tui.write('n');
    await waitFor((s) => s.includes(`✓ Started ${name}`), 'the new slot', 120_000);

    // The stand-in waits on its prompt: no hook has spoken, its process is quiet.
    await waitFor((s) => slotRow(s).includes('· idle'), 'the agent idle');

    await runAsAgent(name, [
      'sh',
      '-c',
      await hookCommand(name, 'Notification', 'permission_prompt'),
    ]);
    await waitFor(
      (s) => slotRow(s).includes('! apprv') && s.includes('1 need you'),
      'the permission prompt',
      5000,
    );

    // The host-side source reads it without exec: through /proc as root, and the file API
    // (what a host user without access to the container's processes gets) reads the same.
    const batches: Array<Record<string, AgentState>> = [];
    await new AgentStateSource(
      { setAgentStates: (b) => batches.push(b) },
      {
        slots: () => [{ name, codeUser: 'code' }],
        reader: HookFileReader.throughProc(files()),
      },
    ).tick();
    expect(batches).toEqual([{ [name]: 'approval' }]);
    const pane = findPane(name);
    expect(pane?.kind).toBe('agent');
    const viaApi = await new HookFileReader(files(), () => DENIED).read({
      container: name,
      pid: pane?.kind === 'agent' ? pane.agentPid : 0,
      path: STATE_PATH,
    });
    expect(parseHookReport(viaApi ?? '')?.state).toBe('approval');

    // w goes to it from the workspace row.
    tui.write('k');
    tui.write('w');
    await waitFor((s) => s.includes(`${name} waits for approval`), 'the jump');

    // Stop ends the turn: the agent waits for its next prompt.
    await runAsAgent(name, ['sh', '-c', await hookCommand(name, 'Stop')]);
    await waitFor((s) => slotRow(s).includes('? input'), 'waiting for input', 5000);

    // The agent leaves; its pane drops to the shell.
    await runAsAgent(name, ['tmux', 'send-keys', '-t', tmuxSessionName(name), 'exit', 'Enter']);
    await waitFor(
      (s) => slotRow(s).includes('✕ exit') && s.includes('0 need you'),
      'the agent exited',
      8000,
    );
  });
});
