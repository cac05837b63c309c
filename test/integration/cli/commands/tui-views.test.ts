import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '../../../../src/shared/naming.js';
import { InstancesApi } from '../../../../src/incus/instances.js';
import { SnapshotsApi } from '../../../../src/incus/snapshots.js';
import { PtySession } from '../../../../src/ui/terminal/pty-session.js';
import { runsToText } from '../../../helpers/screen-text.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { deleteTestContainer, incus } from '../../../helpers/testbed.js';

/**
 * The control room's per-slot views end to end: the compiled CLI on a real pty (node-pty, screen
 * kept by a headless xterm) against the real daemon, each view opened on a real container.
 */

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
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
  const tui = new PtySession(
    {
      file: process.execPath,
      args: [join(ROOT, 'bin', 'coi.js'), 'tui'],
      cwd: workspace,
      env: {
        PATH: process.env.PATH,
        HOME: box.home,
        COI_CONTAINER_PREFIX: box.prefix,
        TERM: 'xterm-256color',
      },
    },
    { cols: COLS, rows: ROWS, frameMs: 5 },
  );
  tuis.push(tui);
  return tui;
}

const screenOf = (tui: PtySession) => tui.snapshot().lines.map(runsToText).join('\n');

async function waitFor(
  tui: PtySession,
  check: (screen: string) => boolean,
  what: string,
  ms = 15_000,
): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const screen = screenOf(tui);
    if (check(screen)) return screen;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const showing = (tui: PtySession, text: string, ms?: number) =>
  waitFor(tui, (s) => s.includes(text), JSON.stringify(text), ms);

async function until(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
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
