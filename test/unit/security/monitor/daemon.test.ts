import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../../../src/security/alert.js';
import type { AuditRecord } from '../../../../src/security/audit/record.js';
import { readAudit } from '../../../../src/security/audit/tail.js';
import type { AllowlistResolver } from '../../../../src/security/monitor/allowlist-registration.js';
import {
  MonitorDaemon,
  type MonitorDaemonOptions,
} from '../../../../src/security/monitor/daemon.js';
import { monitorPaths } from '../../../../src/security/monitor/paths.js';
import { injectionDir } from '../../../../src/security/proxy/inject/store.js';
import type { MonitorSettings } from '../../../../src/security/monitor/settings.js';
import type { ExecEvent } from '../../../../src/security/sources/exec-event-parse.js';
import type { ExecEventOptions } from '../../../../src/security/sources/exec-events.js';
import type { KmsgNetworkEvent, KmsgSourceOptions } from '../../../../src/security/sources/kmsg.js';
import { coiKeysConfig, type CoiKeys } from '../../../../src/shared/instance-keys.js';
import { containerName } from '../../../../src/shared/naming.js';
import { FakeIncus, type SeededInstance } from '../../../helpers/fake-incus.js';
import { nftLine } from '../../../helpers/kmsg.js';

// The responder writes the cgroup freezer itself first; unit tests leave the host's cgroups alone.
vi.mock('../../../../src/security/response/freeze-cgroup.js', () => ({
  freezeCgroup: () => false,
  cgroupFrozen: () => false,
}));

// The kernel log, faked: with `network: true` the test hands lines to the daemon's kmsg source.
const kernelLog = vi.hoisted(() => ({
  deliver: undefined as ((event: KmsgNetworkEvent) => void) | undefined,
}));
vi.mock('../../../../src/security/sources/kmsg.js', () => ({
  KmsgNetworkSource: class {
    constructor(opts: KmsgSourceOptions) {
      kernelLog.deliver = opts.onEvent;
    }
    start = () => Promise.resolve();
    stop = () => undefined;
  },
}));

// The kernel's exec events, faked: with `processEvents` the test hands execs to the daemon.
const execEvents = vi.hoisted(() => ({
  deliver: undefined as ((event: ExecEvent) => void) | undefined,
  subscribes: true,
}));
vi.mock('../../../../src/security/sources/exec-events.js', () => ({
  ExecEventSource: class {
    stats = { state: 'failed', detail: 'not started', execs: 0, lost: 0 };
    constructor(opts: ExecEventOptions) {
      execEvents.deliver = opts.onExec;
    }
    start = () => {
      Object.assign(
        this.stats,
        execEvents.subscribes
          ? { state: 'events', detail: 'kernel-filtered exec events', execs: 0, lost: 0 }
          : { state: 'failed', detail: 'cannot run perl: ENOENT', execs: 0, lost: 0 },
      );
      return Promise.resolve(execEvents.subscribes);
    };
    stop = () => undefined;
  },
}));

const PREFIX = 'coi-unit-';

const SETTINGS: MonitorSettings = {
  policy: { autoPauseOnHigh: true, autoKillOnCritical: true },
  forensicsOnKill: false,
  commandLine: { oneLiners: 'critical' },
  io: { readMb: 1024, readRateMbPerSec: 100, writeMb: 1024, writeRateMbPerSec: 100 },
  process: { count: 0, growthPerSec: 0 },
  dnsQueryThreshold: 0,
  retentionDays: 30,
  codeUid: 1000,
  processEvents: false,
};

let dir: string;
let incus: FakeIncus;
let daemon: MonitorDaemon | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coi-daemon-'));
});

afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  kernelLog.deliver = undefined;
  execEvents.deliver = undefined;
  execEvents.subscribes = true;
  rmSync(dir, { recursive: true, force: true });
});

/** The coi container of the workspace `/work/<label>` in slot 1. */
function coi(label: string): string {
  return containerName(`/work/${label}`, 1, PREFIX);
}

/** A coi container as a launch records it, with `ip` pinned on its NIC when given. */
function seeded(
  label: string,
  opts: { status?: string; ip?: string; keys?: Partial<CoiKeys> } = {},
): SeededInstance {
  return {
    name: coi(label),
    ...(opts.status ? { status: opts.status } : {}),
    config: coiKeysConfig({ workspace: `/work/${label}`, ...opts.keys }),
    devices: opts.ip
      ? { eth0: { type: 'nic', name: 'eth0', network: 'incusbr0', 'ipv4.address': opts.ip } }
      : {},
  };
}

/** A daemon over a fake Incus holding `seed`, started without its socket. */
async function startDaemon(
  seed: SeededInstance[],
  opts: Partial<MonitorDaemonOptions> = {},
): Promise<MonitorDaemon> {
  incus = new FakeIncus(seed);
  daemon = new MonitorDaemon({
    incus,
    coiDir: join(dir, '.coi'),
    prefix: PREFIX,
    settings: SETTINGS,
    network: false,
    // Each attach scans once; no ticks of the host-wide scan meanwhile.
    scanIntervalMs: 3_600_000,
    ...opts,
  });
  expect(await daemon.start(false)).toBe(true);
  return daemon;
}

/** Everything the fake does is on promises: once the next macrotask runs, events are handled. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function launch(name: string, config: Record<string, string> = {}): Promise<void> {
  await (
    await incus.instances.create({ name, image: { alias: 'base' }, config, start: true })
  ).wait();
}

async function auditOf(container: string): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  await readAudit(monitorPaths(join(dir, '.coi')).audit, container, {
    onRecord: (r) => records.push(r),
  });
  return records;
}

/** Waits for the `n`th audit record of `container`. */
async function nthRecord(container: string, n: number): Promise<AuditRecord> {
  return vi.waitFor(async () => {
    const record = (await auditOf(container))[n - 1];
    expect(record).toBeDefined();
    return record!;
  });
}

function high(title: string): Alert {
  return {
    level: 'high',
    category: 'process',
    title,
    description: `${title} seen`,
    evidence: { process: { command: 'nc -e /bin/sh', pattern: 'nc-exec', indicators: [] } },
  };
}

function resolverTable(): AllowlistResolver & { table: Map<string, unknown> } {
  const table = new Map<string, unknown>();
  return {
    table,
    add: (ip, container, domains) => void table.set(ip, { container, domains }),
    remove: (ip) => void table.delete(ip),
    unlearn: () => Promise.resolve(),
  };
}

describe('MonitorDaemon: which containers it watches', () => {
  it('attaches the running coi containers it finds at start, with their init pid and address', async () => {
    const d = await startDaemon([
      seeded('a', { ip: '10.99.0.5' }),
      seeded('b', { status: 'Stopped' }),
      seeded('c', { status: 'Frozen' }),
    ]);
    expect(d.status().containers).toEqual([coi('a'), coi('c')].sort());
    const initPid = (await incus.instances.state(coi('a'))).pid;
    expect((await d.watchOf(coi('a'))).container).toEqual({
      name: coi('a'),
      workspace: '/work/a',
      initPid,
      home: '/home/code',
      ipv4: '10.99.0.5',
    });
  });

  it('attaches a container when it starts and detaches it when it stops or is deleted', async () => {
    const d = await startDaemon([]);
    await launch(coi('a'), coiKeysConfig({ workspace: '/work/a' }));
    await settle();
    expect(d.status().containers).toEqual([coi('a')]);
    const firstPid = (await d.watchOf(coi('a'))).container.initPid;

    await (await incus.instances.stop(coi('a'))).wait();
    await settle();
    expect(d.status().containers).toEqual([]);

    await (await incus.instances.start(coi('a'))).wait();
    await settle();
    const restarted = (await d.watchOf(coi('a'))).container.initPid;
    expect(restarted).toBe((await incus.instances.state(coi('a'))).pid);
    expect(restarted).not.toBe(firstPid);

    await (await incus.instances.stop(coi('a'))).wait();
    await (await incus.instances.delete(coi('a'))).wait();
    await settle();
    expect(d.status().containers).toEqual([]);
  });

  it('says nothing of a container deleted before its second look', async () => {
    const logged: string[] = [];
    const d = await startDaemon([], { log: (m) => logged.push(m) });
    await launch(coi('a'), coiKeysConfig({ workspace: '/work/a' }));
    await settle();
    await (await incus.instances.stop(coi('a'))).wait();
    await (await incus.instances.delete(coi('a'))).wait();
    // The looks again a little later (1 s and 5 s after the start) find nothing.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(d.status().containers).toEqual([]);
    expect(logged.filter((m) => m.startsWith('cannot watch'))).toEqual([]);
  });

  it('looks again at a started container Incus did not yet report with its init pid', async () => {
    const d = await startDaemon([]);
    const getFull = incus.instances.getFull.bind(incus.instances);
    let early = true;
    vi.spyOn(incus.instances, 'getFull').mockImplementation(async (name) => {
      const full = await getFull(name);
      return early && full.state ? { ...full, state: { ...full.state, pid: 0 } } : full;
    });
    await launch(coi('a'), coiKeysConfig({ workspace: '/work/a' }));
    await settle();
    expect(d.status().containers).toEqual([]);
    early = false;
    await vi.waitFor(() => expect(d.status().containers).toEqual([coi('a')]), { timeout: 3000 });
  });

  it('forgets what the responder knew of a deleted container (a new one may get its name)', async () => {
    const d = await startDaemon([seeded('a')]);
    const info: Alert = { ...high('Odd process'), level: 'info' };
    d.detect({ container: coi('a'), workspace: '/work/a', alert: info, latencyMs: 0 });
    d.detect({ container: coi('a'), workspace: '/work/a', alert: info, latencyMs: 0 });
    expect(d.status().folded).toBe(1);
    await (await incus.instances.stop(coi('a'))).wait();
    await settle();
    expect(d.status().folded).toBe(1);
    await (await incus.instances.delete(coi('a'))).wait();
    await settle();
    expect(d.status().folded).toBe(0);
  });

  it('writes every proxy record as it is (never folded), and drops the proxy CA on delete', async () => {
    const d = await startDaemon([seeded('a')]);
    const injected: Alert = { ...high('Credential injected by the egress proxy'), level: 'info' };
    d.record(coi('a'), injected);
    d.record(coi('a'), injected);
    await nthRecord(coi('a'), 2);
    expect((await auditOf(coi('a'))).map((r) => r.action)).toEqual(['logged', 'logged']);
    const ca = injectionDir(join(dir, '.coi'), coi('a'));
    mkdirSync(ca, { recursive: true });
    await (await incus.instances.stop(coi('a'))).wait();
    await settle();
    expect(existsSync(ca)).toBe(true);
    await (await incus.instances.delete(coi('a'))).wait();
    await vi.waitFor(() => expect(existsSync(ca)).toBe(false));
  });

  it('after a gap in the events, attaches what runs now and detaches what is gone', async () => {
    const d = await startDaemon([seeded('a'), seeded('b', { status: 'Stopped' }), seeded('c')]);
    incus.events.disconnect();
    await (await incus.instances.stop(coi('a'))).wait();
    await (await incus.instances.delete(coi('a'))).wait();
    await (await incus.instances.start(coi('b'))).wait();
    await (await incus.instances.stop(coi('c'))).wait();
    await settle();
    // Lost with the stream: the daemon has not seen them yet.
    expect(d.status().containers).toEqual([coi('a'), coi('c')].sort());
    incus.events.reconnect();
    await settle();
    expect(d.status().containers).toEqual([coi('b')]);
  });

  it('does not watch a container recorded user.coi.monitored=false', async () => {
    const d = await startDaemon([seeded('quiet', { keys: { monitored: false } })]);
    await launch(coi('late'), coiKeysConfig({ workspace: '/work/late', monitored: false }));
    await launch(coi('watched'), coiKeysConfig({ workspace: '/work/watched' }));
    await settle();
    expect(d.status().containers).toEqual([coi('watched')]);
  });

  it('ignores instances whose names are not coi containers of its prefix', async () => {
    const d = await startDaemon([{ name: 'web-1' }, { name: `${PREFIX}notahash-1` }]);
    await launch('db-1');
    await settle();
    expect(d.status().containers).toEqual([]);
    expect(incus.calls.filter((c) => c.startsWith('instances.getFull'))).toEqual([]);
  });
});

describe('MonitorDaemon: what reaches the responder', () => {
  it('a container frozen or resumed by someone else is taken as paused or running', async () => {
    const d = await startDaemon([seeded('a')]);
    const at = (title: string) => ({
      container: coi('a'),
      workspace: '/work/a',
      alert: high(title),
      latencyMs: 0,
    });
    await (await incus.instances.freeze(coi('a'))).wait();
    await settle();
    d.detect(at('Seen while frozen'));
    expect(await nthRecord(coi('a'), 1)).toMatchObject({ action: 'logged' });

    await (await incus.instances.unfreeze(coi('a'))).wait();
    await settle();
    d.detect(at('Seen after the resume'));
    expect(await nthRecord(coi('a'), 2)).toMatchObject({ action: 'paused' });
    expect(incus.instances.all.get(coi('a'))!.status).toBe('Frozen');
  });

  it('a container frozen when the daemon starts is taken as paused', async () => {
    const d = await startDaemon([seeded('a', { status: 'Frozen' })]);
    d.detect({ container: coi('a'), workspace: '/work/a', alert: high('X'), latencyMs: 0 });
    expect(await nthRecord(coi('a'), 1)).toMatchObject({ action: 'logged' });
  });

  it('downgrades private-network alerts of an open-mode container, and only those', async () => {
    await startDaemon(
      [
        seeded('open', { ip: '10.99.0.5', keys: { networkMode: 'open' } }),
        seeded('shut', { ip: '10.99.0.6', keys: { networkMode: 'restricted' } }),
      ],
      { network: true },
    );
    kernelLog.deliver!(nftLine('priv', '10.99.0.5', '192.168.1.1'));
    kernelLog.deliver!(nftLine('priv', '10.99.0.6', '192.168.1.1'));
    expect(await nthRecord(coi('open'), 1)).toMatchObject({ level: 'info', action: 'logged' });
    expect(await nthRecord(coi('shut'), 1)).toMatchObject({ level: 'high', action: 'paused' });
  });

  it('a metadata-endpoint alert of an open-mode container is not downgraded', async () => {
    await startDaemon([seeded('open', { ip: '10.99.0.5', keys: { networkMode: 'open' } })], {
      network: true,
    });
    kernelLog.deliver!(nftLine('meta', '10.99.0.5', '169.254.169.254'));
    expect(await nthRecord(coi('open'), 1)).toMatchObject({ level: 'critical', action: 'killed' });
  });
});

describe('MonitorDaemon: allowlist containers', () => {
  const domains = [{ name: 'github.com', ports: [443] }];
  const keys: Partial<CoiKeys> = { networkMode: 'allowlist', allowlist: domains };

  it('registers a running allowlist container with the resolver and removes it when it stops', async () => {
    const resolver = resolverTable();
    await startDaemon([seeded('a', { ip: '10.99.0.5', keys }), seeded('b', { ip: '10.99.0.6' })], {
      allowlistDns: resolver,
    });
    expect([...resolver.table]).toEqual([['10.99.0.5', { container: coi('a'), domains }]]);
    await (await incus.instances.stop(coi('a'))).wait();
    await settle();
    expect([...resolver.table]).toEqual([]);
    await (await incus.instances.start(coi('a'))).wait();
    await settle();
    expect([...resolver.table]).toEqual([['10.99.0.5', { container: coi('a'), domains }]]);
  });
});

describe('MonitorDaemon: process starts by kernel event', () => {
  /** A PID above any pid_max: nothing of it is in /proc, as for a process already gone. */
  const GONE_PID = 5_000_000;
  const exec = (container: string, argv: string[], pid = GONE_PID): ExecEvent => ({
    kind: 'exec',
    at: process.hrtime.bigint(),
    pid,
    ppid: 1,
    startMs: 1000,
    container,
    argv,
  });

  it('alerts on an exec gone before any scan, once per process across an exec chain', async () => {
    const d = await startDaemon([seeded('a')], { settings: { ...SETTINGS, processEvents: true } });
    await d.watchOf(coi('a'));
    execEvents.deliver!(exec(coi('a'), ['sh', '-c', 'exec grep -r aws_secret_access_key /etc']));
    execEvents.deliver!(exec(coi('a'), ['grep', '-r', 'aws_secret_access_key', '/etc']));
    const record = await nthRecord(coi('a'), 1);
    expect(record).toMatchObject({
      level: 'warning',
      title: 'Credential file search detected',
      action: 'alerted',
      evidence: { process: { pid: GONE_PID, command: 'exec grep -r aws_secret_access_key /etc' } },
    });
    expect(record.detection_latency_ms).toBeLessThan(1000);
    await settle();
    expect(await auditOf(coi('a'))).toHaveLength(1);
    expect(d.status().processEvents).toMatchObject({ state: 'events' });
  });

  it('says so in its status when the events cannot be had, or are turned off', async () => {
    execEvents.subscribes = false;
    const d = await startDaemon([], { settings: { ...SETTINGS, processEvents: true } });
    expect(d.status().processEvents).toEqual({
      state: 'failed',
      detail: 'cannot run perl: ENOENT',
      execs: 0,
      lost: 0,
    });
    await d.stop();
    execEvents.deliver = undefined;
    await startDaemon([]);
    expect(daemon!.status().processEvents).toMatchObject({ state: 'off' });
    expect(execEvents.deliver).toBeUndefined();
  });
});
