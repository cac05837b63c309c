import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/core/config/index.js';
import { containerName, workspaceHash } from '../../src/shared/naming.js';
import { Incus } from '../../src/incus/index.js';
import type { AuditRecord } from '../../src/security/audit/record.js';
import { readAudit } from '../../src/security/audit/tail.js';
import { MonitorDaemon } from '../../src/security/monitor/daemon.js';
import { monitorSettings } from '../../src/core/policy/monitor-settings.js';
import type { MonitorSettings } from '../../src/security/monitor/settings.js';
import type { NetworkGuard } from '../../src/security/network/guard.js';
import { GATEWAY, TEST_PREFIX, deleteTestContainer, launchTestContainer } from './testbed.js';

/** Shorter than the daemon's default so the I/O test need not wait long after boot. */
export const IO_BOOT_GRACE_MS = 6000;

/**
 * A monitor daemon run in-process for integration tests: its own ~/.coi in a temp dir, the test
 * prefix as coi prefix (so test containers count as coi containers), and helpers to launch
 * monitored containers, listen like an attacker on the gateway, and wait for audit records.
 */
export class MonitorBed {
  readonly home = mkdtempSync(join(tmpdir(), 'coi-monitor-'));
  readonly coiDir = join(this.home, '.coi');
  readonly incus = Incus.local();
  private readonly daemonIncus = Incus.local();
  readonly settings: MonitorSettings;
  readonly daemon: MonitorDaemon;
  private readonly launched = new Set<string>();

  /** With `guard`: the kernel log is read too, and kills release the guard's rules. */
  constructor(opts: { guard?: NetworkGuard } = {}) {
    const { config } = loadConfig({ cwd: this.home, home: this.home, env: {} });
    this.settings = monitorSettings(config);
    const guard = opts.guard;
    this.daemon = new MonitorDaemon({
      incus: this.daemonIncus,
      coiDir: this.coiDir,
      prefix: TEST_PREFIX,
      settings: this.settings,
      network: guard !== undefined,
      releaseNetwork: guard && ((ip) => guard.release(ip)),
      ioBootGraceMs: IO_BOOT_GRACE_MS,
      log: process.env.COI_MONITOR_DEBUG ? (m) => console.error(`monitor: ${m}`) : undefined,
    });
  }

  async start(): Promise<void> {
    await this.daemon.start(false);
  }

  /** Deletes what the tests made first: attacks still running in frozen containers hold requests open. */
  async close(): Promise<void> {
    await this.daemon.stop();
    for (const name of await this.incus.instances.names())
      if (this.launched.has(name) || name.startsWith(`${TEST_PREFIX}forensics-`))
        await deleteTestContainer(name);
    await this.daemonIncus.close();
    await this.incus.close();
    rmSync(this.home, { recursive: true, force: true });
  }

  /**
   * A running coi-named container for the fake workspace `/monitor-test/<label>`, watched;
   * `config` adds instance keys (what a launch records, e.g. `user.coi.monitoring`).
   */
  async launch(
    label: string,
    config: Record<string, string> = {},
  ): Promise<{ name: string; workspace: string; hash: string }> {
    const workspace = `/monitor-test/${label}`;
    const name = containerName(workspace, 1, TEST_PREFIX);
    this.launched.add(name);
    await launchTestContainer(name.slice(TEST_PREFIX.length), {
      config: { 'user.coi.workspace': workspace, 'user.coi.code_user': 'code', ...config },
    });
    await this.daemon.watchOf(name);
    // Attacks need the network up: wait for the DHCP address.
    await poll(
      async () => {
        const eth0 = (await this.incus.instances.state(name)).network?.eth0;
        return eth0?.addresses.some((a) => a.family === 'inet') ? true : undefined;
      },
      30_000,
      () => `${name} got no IPv4 address`,
    );
    return { name, workspace, hash: workspaceHash(workspace) };
  }

  /** Runs a command in the container without waiting (attacks block or die with the container). */
  fire(container: string, command: string[], user = 0): void {
    void this.incus.exec.run(container, command, { user, group: user }).catch(() => undefined);
  }

  async records(container: string): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    await readAudit(join(this.coiDir, 'audit'), container, { onRecord: (r) => records.push(r) });
    return records;
  }

  async waitForRecord(
    container: string,
    accept: (r: AuditRecord) => boolean,
    timeoutMs = 15_000,
  ): Promise<AuditRecord> {
    let seen: AuditRecord[] = [];
    return poll(
      async () => (seen = await this.records(container)).find(accept),
      timeoutMs,
      () =>
        `no matching audit record for ${container} (its records: ${
          seen.map((r) => `${r.level} "${r.title}" ${r.action}: ${r.description}`).join('; ') ||
          'none'
        })`,
    );
  }

  async status(container: string): Promise<string | undefined> {
    try {
      return (await this.incus.instances.get(container)).value.status;
    } catch {
      return undefined;
    }
  }

  async waitForStatus(container: string, status: string | undefined, timeoutMs = 30_000) {
    await poll(
      async () => ((await this.status(container)) === status ? true : undefined),
      timeoutMs,
      () => `${container} never became ${status ?? 'absent'}`,
    );
  }
}

export async function poll<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A TCP listener on the gateway, standing in for an attacker's; it keeps every connection. */
export async function attackerListener(
  port: number,
): Promise<{ server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, GATEWAY, resolve);
  });
  return { server, sockets };
}

export async function closeListener(l: { server: Server; sockets: Socket[] }): Promise<void> {
  for (const s of l.sockets) s.destroy();
  await new Promise<void>((resolve) => l.server.close(() => resolve()));
}

/** A gateway port for the attacker's listener: any will do, shells are caught by what they are. */
export const attackerPort = (): number => 40_000 + Math.floor(Math.random() * 10_000);

/**
 * One started monitor bed and an attacker listener on `port` for a test file, both closed after
 * its tests. `onReady` hands the bed to the file; `guard`: see the MonitorBed constructor.
 */
export function monitorBedForFile(
  port: number,
  onReady: (bed: MonitorBed) => void,
  opts: { guard?: NetworkGuard } = {},
): void {
  let bed: MonitorBed | undefined;
  let listener: Awaited<ReturnType<typeof attackerListener>> | undefined;
  beforeAll(async () => {
    bed = new MonitorBed(opts);
    await bed.start();
    onReady(bed);
    listener = await attackerListener(port);
  });
  afterAll(async () => {
    if (listener) await closeListener(listener);
    await bed?.close();
  });
}
