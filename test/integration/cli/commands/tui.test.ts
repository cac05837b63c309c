import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '../../../../src/shared/naming.js';
import { IncusNotFoundError } from '../../../../src/incus/errors.js';
import { InstancesApi } from '../../../../src/incus/instances.js';
import { AuditWriter } from '../../../../src/security/audit/writer.js';
import type { PtySession } from '../../../../src/ui/terminal/pty-session.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { deleteTestContainer, incus } from '../../../helpers/testbed.js';
import { screenOf, showing, startTuiPty, until, waitFor } from '../../../helpers/tui-pty.js';

/**
 * `coi tui` end to end: the compiled CLI runs on a real pty (node-pty) whose screen is kept by
 * a headless xterm, against the real daemon, with the stand-in agent as the tool.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"
`;
const COLS = 100;
const ROWS = 30;
const DETACH = '\x11';

let box: CoiSandbox;
let workspace: string;
const tuis: PtySession[] = [];
const api = () => new InstancesApi(incus());

beforeAll(() => {
  ensureBuilt();
  box = new CoiSandbox(CONFIG);
  workspace = box.workspace('tui-ws');
});

afterAll(async () => {
  for (const tui of tuis) tui.kill();
  for (let slot = 1; slot <= 3; slot++) {
    await deleteTestContainer(containerName(workspace, slot, box.prefix));
  }
  await box?.remove();
});

function startTui(): PtySession {
  const tui = startTuiPty(box, workspace, { cols: COLS, rows: ROWS });
  tuis.push(tui);
  return tui;
}

async function incusStatus(name: string): Promise<string | undefined> {
  try {
    return (await api().get(name)).value.status;
  } catch (err) {
    if (err instanceof IncusNotFoundError) return undefined;
    throw err;
  }
}

/** The slot's row: its first word is the name, or the name cut with `…` (test names are long). */
const slotRow = (screen: string, name: string) =>
  screen.split('\n').find((l) => {
    const first = l.trimStart().split(' ')[0] ?? '';
    return first === name || (first.endsWith('…') && name.startsWith(first.slice(0, -1)));
  }) ?? '';

describe('coi tui', () => {
  it('launches, pauses, resumes, attaches, detaches, shows alerts and kills, then restores the terminal', async () => {
    const name = containerName(workspace, 1, box.prefix);
    const tui = startTui();
    await waitFor(
      tui,
      (s) => s.includes('1 ws 0 slots') && !s.includes('Connecting'),
      'first frame',
    );
    expect(tui.terminal.buffer.active.type).toBe('alternate');

    // New slot in the workspace (the workspace row is selected at start).
    tui.write('n');
    await waitFor(tui, (s) => slotRow(s, name).includes('running'), 'the new slot', 90_000);
    // The launch is done (tool started in tmux) when the status line says so.
    await showing(tui, `✓ Started ${name}`, 60_000);
    tui.write('j');

    tui.write('p');
    await until(async () => (await incusStatus(name)) === 'Frozen', 'Incus to report Frozen');
    await waitFor(tui, (s) => slotRow(s, name).includes('frozen'), 'the row to say frozen');
    tui.write('r');
    await until(async () => (await incusStatus(name)) === 'Running', 'Incus to report Running');
    await waitFor(tui, (s) => slotRow(s, name).includes('running'), 'the row to say running');

    // Attach, leave the stand-in agent for its shell, and run a command in the pane.
    tui.write('a');
    await showing(tui, `─ ${name} `);
    await showing(tui, 'ctrl-q detach');
    await showing(tui, 'standin: started');
    tui.write('exit\r');
    await showing(tui, 'standin: bye');
    tui.write('echo hi\r');
    await waitFor(tui, (s) => s.split('\n').some((l) => l.trim() === 'hi'), 'hi in the pane');

    // The pane's pty and emulator run in the worker thread (dist/ui/terminal/pane-worker.js):
    // a flood is parsed to its last line there, and typing right after it is shown.
    tui.write('seq 1 300000; echo FLOOD-""END\r');
    await showing(tui, 'FLOOD-END', 60_000);
    await waitFor(tui, (s) => s.split('\n').some((l) => l.trim() === '300000'), 'the last line');
    tui.write('echo after-flood\r');
    await waitFor(
      tui,
      (s) => s.split('\n').some((l) => l.trim() === 'after-flood'),
      'typing after the flood',
    );

    // The session's history: tmux copy-mode through the pane (prefix + [), shows [line/total].
    tui.write('\x02[');
    await waitFor(tui, (s) => /\[\d+\/\d+\]/.test(s), 'tmux copy-mode position');
    tui.write('q');
    await waitFor(tui, (s) => !/\[\d+\/\d+\]/.test(s), 'copy-mode to end');

    // Frozen from outside while attached: an overlay, typing held, delivered on resume.
    await (await api().freeze(name)).wait();
    await showing(tui, 'FROZEN — the container is paused');
    tui.write('echo held\r');
    await showing(tui, '(10 bytes waiting)');
    await (await api().unfreeze(name)).wait();
    await waitFor(tui, (s) => s.split('\n').some((l) => l.trim() === 'held'), 'held input run');

    // Detach: the first key afterwards already works.
    tui.write(DETACH);
    await showing(tui, 'Workspaces');
    // The tables are drawn by the hot-region writer, not Ink: back after the pane and an overlay.
    await waitFor(tui, (s) => slotRow(s, name).includes('running'), 'the row after detach', 2000);
    tui.write('?');
    await showing(tui, 'Show or hide this help', 2000);
    expect(slotRow(screenOf(tui), name)).toBe('');
    tui.write('\x1b');
    await showing(tui, 'Workspaces', 2000);
    await waitFor(tui, (s) => slotRow(s, name).includes('running'), 'the row after help', 2000);

    // 100 attach/detach cycles leave the dashboard responsive.
    for (let i = 0; i < 100; i++) {
      tui.write('a');
      await showing(tui, 'every other key goes to');
      tui.write(DETACH);
      await waitFor(tui, (s) => s.includes('Workspaces'), `detach #${i + 1}`);
    }
    const before = Date.now();
    tui.write('?');
    await showing(tui, 'Show or hide this help', 2000);
    expect(Date.now() - before).toBeLessThan(1000);
    tui.write('\x1b');
    await showing(tui, 'Workspaces', 2000);

    // An alert appended to the container's audit file appears in the alert pane.
    await new AuditWriter(join(box.coiDir, 'audit')).append({
      container: name,
      workspace,
      level: 'critical',
      category: 'network',
      title: 'Reverse shell detected',
      description: 'nc to the gateway on port 4444',
      evidence: {
        network: {
          container_ip: '10.99.0.9',
          protocol: 'tcp',
          src_ip: '10.99.0.9',
          dst_ip: '10.99.0.1',
          dst_port: 4444,
          reason: 'suspicious port',
        },
      },
      action: 'alerted',
      detection_latency_ms: 5,
    });
    await showing(tui, 'Reverse shell detected');
    await showing(tui, '1 CRIT');

    // Kill: Enter on the dialog cancels; moving to Kill and Enter deletes the container.
    tui.write('K');
    await showing(tui, 'Kill container?');
    tui.write('\r');
    await showing(tui, 'nothing was done');
    expect(await incusStatus(name)).toBe('Running');
    tui.write('K');
    await showing(tui, 'Kill container?');
    tui.write('\x1b[C');
    await new Promise((r) => setTimeout(r, 100));
    tui.write('\r');
    await until(async () => (await incusStatus(name)) === undefined, 'the container to be gone');
    await waitFor(tui, (s) => !s.includes(`  ${name}`), 'the row to go');

    const exited = new Promise<number>((resolve) => tui.onExit(resolve));
    tui.write('q');
    expect(await exited).toBe(0);
    const buffer = tui.terminal.buffer.active;
    expect(buffer.type).toBe('normal');
    expect(tui.modes.applicationCursorKeysMode).toBe(false);
    expect(tui.modes.bracketedPasteMode).toBe(false);
  }, 170_000);

  it('draws its whole room and follows resizes when the shell sets CI=true', async () => {
    const tui = startTuiPty(box, workspace, { cols: COLS, rows: ROWS }, { CI: 'true' });
    tuis.push(tui);
    await waitFor(tui, (s) => s.includes('Workspaces') && !s.includes('Connecting'), 'first frame');
    tui.write('?');
    await showing(tui, 'Show or hide this help', 2000);
    tui.write('\x1b');
    await showing(tui, 'Workspaces', 2000);
    // Side by side from 120 columns: the alert queue's header on the slots' header row.
    const sideBySide = (s: string) => s.split('\n').some((l) => /SLOT .* TIME +SEV/.test(l));
    expect(sideBySide(screenOf(tui))).toBe(false);
    tui.resize(140, 40);
    await waitFor(tui, sideBySide, 'the side-by-side layout after the resize', 5000);
    const exited = new Promise<number>((resolve) => tui.onExit(resolve));
    tui.write('q');
    expect(await exited).toBe(0);
  }, 60_000);

  it('SIGTERM restores the terminal and exits', async () => {
    const tui = startTui();
    await waitFor(tui, (s) => s.includes('Workspaces') && !s.includes('Connecting'), 'first frame');
    expect(tui.modes.mouseTrackingMode).toBe('vt200');
    const exited = new Promise<number>((resolve) => tui.onExit(resolve));
    process.kill(tui.pid, 'SIGTERM');
    expect(await exited).toBe(143);
    expect(tui.terminal.buffer.active.type).toBe('normal');
    expect(tui.modes.mouseTrackingMode).toBe('none');
  }, 30_000);
});
