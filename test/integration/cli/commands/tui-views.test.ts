import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '../../../../src/shared/naming.js';
import { InstancesApi } from '../../../../src/incus/instances.js';
import { SnapshotsApi } from '../../../../src/incus/snapshots.js';
import type { PtySession } from '../../../../src/ui/terminal/pty-session.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { deleteTestContainer, incus } from '../../../helpers/testbed.js';
import { showing, startTuiPty, until, waitFor } from '../../../helpers/tui-pty.js';

/**
 * The control room's per-slot views end to end: the compiled CLI on a real pty (node-pty, screen
 * kept by a headless xterm) against the real daemon, each view opened on a real container.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"
`;
const COLS = 100;
const ROWS = 30;

let box: CoiSandbox;
let workspace: string;
const tuis: PtySession[] = [];
const api = () => new InstancesApi(incus());

beforeAll(() => {
  ensureBuilt();
  box = new CoiSandbox(CONFIG);
  workspace = box.workspace('tui-views-ws');
});

afterAll(async () => {
  for (const tui of tuis) tui.kill();
  for (let slot = 1; slot <= 1; slot++) {
    await deleteTestContainer(containerName(workspace, slot, box.prefix));
  }
  await box?.remove();
});

function startTui(): PtySession {
  const tui = startTuiPty(box, workspace, { cols: COLS, rows: ROWS });
  tuis.push(tui);
  return tui;
}

/** Esc closes the view; the next key waits for that, else esc and it arrive as one alt chord. */
async function closeView(tui: PtySession, title: string): Promise<void> {
  tui.write('\x1b');
  await waitFor(tui, (s) => !s.includes(title), `${title} to close`);
}

describe('coi tui views', () => {
  it('shows a real process, the IPv4, a followed log line, and a snapshot created and deleted', async () => {
    const name = containerName(workspace, 1, box.prefix);
    const tui = startTui();
    await waitFor(
      tui,
      (s) => s.includes('1 ws 0 slots') && !s.includes('Connecting'),
      'first frame',
    );
    tui.write('n');
    await showing(tui, `✓ Started ${name}`, 120_000);
    tui.write('j');

    // Processes: read from the host's /proc through the container's cgroup.
    tui.write('t');
    await showing(tui, `Processes · ${name}`);
    await waitFor(
      tui,
      (s) => /│ +\d+ │ root +│.*(init|systemd)/.test(s),
      'the init process as root',
    );
    await showing(tui, 'coi-standin');
    await closeView(tui, 'Processes ·');

    // Details: the address Incus reports.
    let ipv4 = '';
    await until(async () => {
      const state = (await api().getFull(name)).state;
      ipv4 = state?.network?.eth0?.addresses.find((a) => a.family === 'inet')?.address ?? '';
      return ipv4 !== '';
    }, 'an IPv4 on eth0');
    tui.write('i');
    await showing(tui, `Details · ${name}`);
    await waitFor(
      tui,
      (s) => new RegExp(`IPv4 +${ipv4.replace(/\./g, '\\.')}`).test(s),
      `IPv4 ${ipv4}`,
    );
    await closeView(tui, 'Details ·');

    // Logs: a line appended to the session log shows while the view follows it.
    tui.write('L');
    await showing(tui, 'session log (following)');
    const logs = join(box.coiDir, 'logs');
    mkdirSync(logs, { recursive: true });
    appendFileSync(join(logs, `${name}.stdout.log`), '2026/12/01 12:00:00 tui-views marker line\n');
    await showing(tui, 'tui-views marker line');
    await closeView(tui, 'Logs ·');

    // Network tail: read from the monitor daemon (the slot is not in allowlist mode: no names).
    tui.write('N');
    await showing(tui, `Network · ${name}`);
    await waitFor(
      tui,
      (s) => /No network decisions recorded|decisions, newest first|monitor daemon/.test(s),
      'the network tail or why there is none',
    );
    await closeView(tui, 'Network ·');

    // Snapshots: create one, then delete it after confirming.
    tui.write('v');
    await showing(tui, '0 snapshots');
    tui.write('c');
    await showing(tui, '1 snapshots', 60_000);
    const [snap] = await new SnapshotsApi(incus()).names(name);
    expect(snap).toMatch(/^snap-\d{8}-\d{6}$/);
    await showing(tui, snap!);
    tui.write('d');
    await showing(tui, 'Delete snapshot?');
    tui.write('\x1b[C');
    tui.write('\r');
    await showing(tui, `Deleted snapshot ${snap} of ${name}`, 60_000);
    await showing(tui, '0 snapshots');
    expect(await new SnapshotsApi(incus()).names(name)).toEqual([]);
    await closeView(tui, 'Snapshots ·');
    tui.write('q');
  }, 300_000);
});
