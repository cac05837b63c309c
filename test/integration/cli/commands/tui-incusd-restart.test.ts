import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDaemon } from '../../../../src/core/host/daemon.js';
import { InstancesApi } from '../../../../src/incus/instances.js';
import { AuditWriter } from '../../../../src/security/audit/writer.js';
import { containerName } from '../../../../src/shared/naming.js';
import type { PtySession } from '../../../../src/ui/terminal/pty-session.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { deleteTestContainer, incus } from '../../../helpers/testbed.js';
import { screenOf, showing, startTuiPty, until, waitFor } from '../../../helpers/tui-pty.js';

/**
 * The control room while the real daemon goes away and comes back: `coi tui` on a real pty, the
 * shared incusd stopped (SIGTERM: the containers keep running) and started again the way
 * `coi setup` starts it. Runs in `integration-serial` (vitest.config.ts), and the daemon is
 * started again whatever happens.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"
`;

let box: CoiSandbox;
let workspace: string;
let tui: PtySession | undefined;
const api = () => new InstancesApi(incus());

beforeAll(() => {
  ensureBuilt();
  box = new CoiSandbox(CONFIG);
  workspace = box.workspace('tui-restart-ws');
});

afterAll(async () => {
  tui?.kill();
  await ensureDaemon(incus());
  await deleteTestContainer(containerName(workspace, 1, box.prefix));
  await box?.remove();
});

/**
 * The local daemon's own process: not its `forkexec`, `callhook`, … helpers, and not the remote
 * bed's incusd (test/helpers/remote-incus.ts), which other files of the run leave up in its own
 * network namespace.
 */
function incusdPid(): number | undefined {
  const ourNetns = readlinkSync('/proc/self/ns/net');
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    let netns: string;
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      netns = readlinkSync(`/proc/${entry}/ns/net`);
    } catch {
      continue; // gone meanwhile
    }
    const daemon = basename(argv[0] ?? '') === 'incusd' && !/^[a-z]/.test(argv[1] ?? '');
    if (daemon && netns === ourNetns) return Number(entry);
  }
  return undefined;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function stopIncusd(): Promise<void> {
  const pid = incusdPid();
  if (pid === undefined) throw new Error('no incusd process found');
  process.kill(pid, 'SIGTERM');
  await until(async () => !alive(pid), 'incusd to exit', 30_000);
}

const audit = () => new AuditWriter(join(box.coiDir, 'audit'));

async function raise(container: string, title: string): Promise<void> {
  await audit().append({
    container,
    workspace,
    level: 'critical',
    category: 'network',
    title,
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
}

/** The line below the header, where the connection banner shows. */
const banner = (screen: string) => screen.split('\n')[1] ?? '';
const count = (screen: string, text: string) => screen.split(text).length - 1;
const click = (x: number, y: number) => `\x1b[<0;${x + 1};${y + 1}M\x1b[<0;${x + 1};${y + 1}m`;

describe('coi tui while incusd restarts', () => {
  it('says Incus is unreachable, refuses actions, and resyncs the tree and alerts without duplicates', async () => {
    const name = containerName(workspace, 1, box.prefix);
    tui = startTuiPty(box, workspace, { cols: 100, rows: 30 });
    await waitFor(
      tui,
      (s) => s.includes('1 ws 0 slots') && !s.includes('Connecting'),
      'first frame',
    );
    // The room's own mouse reporting is on.
    expect(tui.modes.mouseTrackingMode).toBe('vt200');
    tui.write('n');
    await showing(tui, `✓ Started ${name}`, 120_000);
    await raise(name, 'Alert before the outage');
    await showing(tui, 'Alert before the outage');

    try {
      await stopIncusd();
      await waitFor(
        tui,
        (s) => banner(s).includes('Incus unreachable — retrying'),
        'the banner',
        30_000,
      );
      // The tree keeps what it knew; an action is refused with the reason.
      expect(count(screenOf(tui), name)).toBeGreaterThan(0);
      tui.write('j');
      tui.write('p');
      await showing(tui, 'pause refused until it answers again');
      await raise(name, 'Alert during the outage');
      await showing(tui, 'Alert during the outage');
    } finally {
      await ensureDaemon(incus());
    }

    // The banner goes (the status line keeps the refusal's text).
    await waitFor(tui, (s) => !banner(s).includes('Incus unreachable'), 'the banner to go', 30_000);
    // Resynced: the slot once, each alert once, and actions reach Incus again.
    await waitFor(tui, (s) => s.includes('2 CRIT'), 'both alerts counted');
    const screen = screenOf(tui);
    expect(screen).toContain('1 ws 1 slots');
    expect(count(screen, 'Alert before the outage')).toBe(1);
    expect(count(screen, 'Alert during the outage')).toBe(1);
    tui.write('p');
    await until(async () => (await api().get(name)).value.status === 'Frozen', 'Frozen', 30_000);
    await showing(tui, '0 running · 1 frozen');
    tui.write('r');
    await until(async () => (await api().get(name)).value.status === 'Running', 'Running', 30_000);

    // A click on the alert queue's first row focuses the queue and selects that alert (Enter
    // then opens it).
    const lines = screenOf(tui).split('\n');
    const alertsTitle = lines.findIndex((l) => l.includes('Alerts'));
    tui.write(click(2, alertsTitle + 2));
    tui.write('\r');
    await showing(tui, 'Alert during the outage');
    await showing(tui, 'nc to the gateway on port 4444');

    tui.write('\x1b');
    await waitFor(tui, (s) => !s.includes('nc to the gateway'), 'the detail to close');

    // Attached: tmux (mouse off) does not track the mouse, so neither does the terminal, and a
    // report the terminal sends anyway never reaches the pane.
    tui.write('\t');
    tui.write('a');
    await showing(tui, 'standin: started');
    await until(async () => tui!.modes.mouseTrackingMode === 'none', 'mouse reporting off');
    tui.write(click(5, 5));
    tui.write('exit\r');
    await showing(tui, 'standin: bye');
    tui.write(click(5, 5) + 'echo mouse-""ok\r');
    const pane = await waitFor(
      tui,
      (s) => s.split('\n').some((l) => l.trim() === 'mouse-ok'),
      'the echo',
    );
    expect(pane).not.toContain('[<');
    tui.write('\x11');
    await showing(tui, 'Workspaces');
    await until(async () => tui!.modes.mouseTrackingMode === 'vt200', 'the room mouse back');

    const exited = new Promise<number>((resolve) => tui!.onExit(resolve));
    tui.write('q');
    expect(await exited).toBe(0);
    expect(tui.modes.mouseTrackingMode).toBe('none');
  }, 300_000);
});
