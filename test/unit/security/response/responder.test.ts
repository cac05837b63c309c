import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert, AlertLevel } from '../../../../src/security/alert.js';
import type { AuditRecord } from '../../../../src/security/audit/record.js';
import { readAudit } from '../../../../src/security/audit/tail.js';
import { AuditWriter } from '../../../../src/security/audit/writer.js';
import { forensicCopyName } from '../../../../src/security/response/policy.js';
import { Responder, type ResponderOptions } from '../../../../src/security/response/responder.js';
import { COI_KEYS } from '../../../../src/shared/instance-keys.js';
import { containerName, parseContainerName } from '../../../../src/shared/naming.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

// The responder writes the cgroup freezer itself first; unit tests leave the host's cgroups alone.
// Which containers' cgroups the tests say are frozen.
const frozenCgroups = vi.hoisted(() => new Set<string>());
vi.mock('../../../../src/security/response/freeze-cgroup.js', () => ({
  freezeCgroup: () => false,
  cgroupFreezeSettled: () => Promise.resolve(false),
  cgroupFrozen: (name: string) => frozenCgroups.has(name),
}));

const PREFIX = 'coi-unit-';
const WORKSPACE = '/work/responder-test';
const CONTAINER = containerName(WORKSPACE, 1, PREFIX);

let dir: string;
let incus: FakeIncus;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'coi-responder-'));
  incus = new FakeIncus();
  await launch(CONTAINER);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  frozenCgroups.clear();
});

async function launch(name: string, start = true): Promise<void> {
  await (await incus.instances.create({ name, image: { alias: 'base' }, start })).wait();
}

function responder(opts: Partial<ResponderOptions> = {}): Responder {
  return new Responder({
    incus,
    audit: new AuditWriter(dir),
    prefix: PREFIX,
    policy: { autoPauseOnHigh: true, autoKillOnCritical: true },
    forensicsOnKill: true,
    ...opts,
  });
}

function detection(level: AlertLevel) {
  const alert: Alert = {
    level,
    category: 'network',
    title: 'Metadata endpoint access',
    description: 'a connection to the cloud metadata endpoint',
    evidence: {
      network: {
        container_ip: '10.99.0.5',
        protocol: 'tcp',
        src_ip: '10.99.0.5',
        dst_ip: '169.254.169.254',
        dst_port: 80,
        reason: 'metadata',
      },
    },
  };
  return { container: CONTAINER, workspace: WORKSPACE, alert, latencyMs: 12.4 };
}

async function auditOf(container: string): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  await readAudit(dir, container, { onRecord: (r) => records.push(r) });
  return records;
}

describe('Responder', () => {
  it('freezes on a high alert, marks the container frozen by a threat, and audits it', async () => {
    const record = await responder().handle(detection('high'));
    const instance = incus.instances.all.get(CONTAINER)!;
    expect(instance.status).toBe('Frozen');
    expect(instance.config[COI_KEYS.frozenBy]).toBe('threat');
    expect(record).toMatchObject({ action: 'paused', level: 'high', container: CONTAINER });
    const audited = await auditOf(CONTAINER);
    expect(audited).toEqual([record]);
    expect(audited[0]).toMatchObject({ workspace: WORKSPACE, detection_latency_ms: 12 });
  });

  it('kills on a critical alert: network released first, forensic copy kept, container deleted', async () => {
    const released: { container: string; existed: boolean }[] = [];
    const record = await responder({
      releaseNetwork: (container) => {
        released.push({ container, existed: incus.instances.all.has(container) });
        return Promise.resolve();
      },
    }).handle(detection('critical'));
    expect(released).toEqual([{ container: CONTAINER, existed: true }]);
    expect(incus.instances.all.has(CONTAINER)).toBe(false);
    const { hash } = parseContainerName(CONTAINER, PREFIX)!;
    const copies = await incus.instances.names();
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(new RegExp(`^${PREFIX}forensics-${hash}-1-\\d+$`));
    expect(incus.instances.all.get(copies[0]!)).toMatchObject({
      status: 'Stopped',
      description: `coi forensic copy of ${CONTAINER}`,
    });
    expect(record).toMatchObject({ action: 'killed', forensic_copy: copies[0] });
    expect((await auditOf(CONTAINER)).map((r) => r.action)).toEqual(['killed']);
  });

  it('marks the kill before anything else and copies the container while it is frozen', async () => {
    const seen: string[] = [];
    const { instances } = incus;
    const patch = instances.patch.bind(instances);
    vi.spyOn(instances, 'patch').mockImplementation((name, p) => {
      seen.push(`patch ${JSON.stringify(p.config)}`);
      return patch(name, p);
    });
    const copy = instances.copy.bind(instances);
    vi.spyOn(instances, 'copy').mockImplementation((opts) => {
      seen.push(`copy of ${instances.all.get(opts.source)!.status}`);
      return copy(opts);
    });
    await responder().handle(detection('critical'));
    expect(seen).toEqual([
      `patch ${JSON.stringify({ [COI_KEYS.threatKill]: 'Metadata endpoint access' })}`,
      'copy of Frozen',
    ]);
  });

  it('leaves the killed container its address: the copy pins none', async () => {
    const nic = { type: 'nic', network: 'coibr0', name: 'eth0' };
    await incus.instances.patch(CONTAINER, {
      devices: { eth0: { ...nic, 'ipv4.address': '10.99.0.5' } },
    });
    const record = await responder().handle(detection('critical'));
    expect(incus.instances.all.get(record!.forensic_copy!)!.devices).toEqual({ eth0: nic });
  });

  it('still kills when a concurrent delete breaks the copy, and records the copy failure', async () => {
    vi.spyOn(incus.instances, 'copy').mockImplementation(async () => {
      incus.instances.all.delete(CONTAINER);
      throw new Error('Create instance from copy: Instance storage pool not found');
    });
    const record = await responder().handle(detection('critical'));
    expect(record).toMatchObject({
      action: 'killed',
      description: 'a connection to the cloud metadata endpoint',
      forensic_copy: 'failed: Create instance from copy: Instance storage pool not found',
    });
    expect(record?.response_errors).toBeUndefined();
    expect(await auditOf(CONTAINER)).toEqual([record]);
  });

  it('records a kill that left the container in place as paused, with what failed', async () => {
    vi.spyOn(incus.instances, 'delete').mockRejectedValue(new Error('disk on fire'));
    const record = await responder({ forensicsOnKill: false }).handle(detection('critical'));
    expect(record).toMatchObject({
      action: 'paused',
      description:
        'a connection to the cloud metadata endpoint (kill failed: delete: disk on fire)',
      response_errors: ['delete: disk on fire'],
    });
    expect(record?.forensic_copy).toBeUndefined();
    expect(incus.instances.all.has(CONTAINER)).toBe(true);
  });

  it("marks a container it kills as the responder's before stopping it (nothing is written back)", async () => {
    const marks: (string | undefined)[] = [];
    await responder({
      releaseNetwork: (container) => {
        marks.push(incus.instances.all.get(container)?.config[COI_KEYS.threatKill]);
        return Promise.resolve();
      },
    }).handle(detection('critical'));
    expect(marks).toEqual(['Metadata endpoint access']);
  });

  it("asks Incus to freeze a container it kills without waiting for the marker's round trip", async () => {
    const { instances } = incus;
    const seen: string[] = [];
    const patch = instances.patch.bind(instances);
    let markSent!: () => void;
    vi.spyOn(instances, 'patch').mockImplementationOnce(async (name, p) => {
      seen.push('mark sent');
      await new Promise<void>((resolve) => (markSent = resolve));
      seen.push('mark done');
      return patch(name, p);
    });
    const freeze = instances.freeze.bind(instances);
    vi.spyOn(instances, 'freeze').mockImplementation((name) => {
      seen.push('freeze');
      markSent();
      return freeze(name);
    });
    const record = await responder().handle(detection('critical'));
    expect(seen).toEqual(['mark sent', 'freeze', 'mark done']);
    expect(record?.action).toBe('killed');
  });

  it('reports when a pause and a kill reached each containment step', async () => {
    const marks: string[] = [];
    const r = responder({ onMark: (container, mark) => marks.push(`${container} ${mark}`) });
    await r.handle(detection('high'));
    await launch(`${CONTAINER}x`);
    await r.handle({ ...detection('critical'), container: `${CONTAINER}x` });
    // The cgroup write is mocked away here (it reports nothing it did not do).
    expect(marks).toEqual([
      `${CONTAINER} acting`,
      `${CONTAINER} incus-frozen`,
      `${CONTAINER}x acting`,
      `${CONTAINER}x incus-frozen`,
    ]);
  });

  it('keeps no forensic copy when forensics_on_kill is off', async () => {
    const record = await responder({ forensicsOnKill: false }).handle(detection('critical'));
    expect(record?.action).toBe('killed');
    expect(await incus.instances.names()).toEqual([]);
  });

  it("acts on a container's own pause and kill switches over the daemon's", async () => {
    const own = { autoPauseOnHigh: true, autoKillOnCritical: false };
    const r = responder({ policyOf: (name) => (name === CONTAINER ? own : undefined) });
    const record = await r.handle(detection('critical'));
    expect(record?.action).toBe('paused');
    expect(incus.instances.all.get(CONTAINER)!.status).toBe('Frozen');
  });

  it('keeps at most three forensic copies per workspace, force-stopping an old one started by hand', async () => {
    const parsed = parseContainerName(CONTAINER, PREFIX)!;
    const old = [1, 2, 3].map((n) => forensicCopyName(PREFIX, parsed, n * 1000));
    for (const name of old) await launch(name, false);
    await (await incus.instances.start(old[0]!)).wait();
    await responder().handle(detection('critical'));
    const names = await incus.instances.names();
    expect(names).not.toContain(old[0]);
    expect(names).toEqual(expect.arrayContaining([old[1], old[2]]));
    expect(names).toHaveLength(3);
  });

  it('folds a second identical alert into the first instead of acting on it again', async () => {
    const r = responder();
    const freeze = vi.spyOn(incus.instances, 'freeze');
    const first = await r.handle(detection('high'));
    const second = await r.handle(detection('high'));
    expect(first?.action).toBe('paused');
    expect(second).toBeUndefined();
    expect(r.folded.get(CONTAINER)).toBe(1);
    expect(freeze).toHaveBeenCalledTimes(1);
    expect(await auditOf(CONTAINER)).toHaveLength(1);
  });

  it('takes a container that is frozen already (the daemon says so) as frozen', async () => {
    await (await incus.instances.freeze(CONTAINER)).wait();
    const record = await responder().handle(detection('high'));
    expect(record).toMatchObject({
      action: 'paused',
      description: 'a connection to the cloud metadata endpoint',
    });
    expect(incus.instances.all.get(CONTAINER)!.config[COI_KEYS.frozenBy]).toBe('threat');
  });
});

describe('Responder: a response an earlier daemon did not finish', () => {
  it('leaves a container whose cgroup is not frozen alone', async () => {
    expect(await responder().finishInterrupted(CONTAINER, '')).toBeUndefined();
    expect(incus.instances.all.get(CONTAINER)!.status).toBe('Running');
  });

  it('makes a cgroup freeze Incus knows nothing of a pause by a threat', async () => {
    frozenCgroups.add(CONTAINER);
    expect(await responder().finishInterrupted(CONTAINER, '')).toBe('paused');
    const instance = incus.instances.all.get(CONTAINER)!;
    expect(instance.status).toBe('Frozen');
    expect(instance.config[COI_KEYS.frozenBy]).toBe('threat');
  });

  it('carries out a kill it had marked, forensic copy first', async () => {
    frozenCgroups.add(CONTAINER);
    expect(await responder().finishInterrupted(CONTAINER, 'Reverse shell detected')).toBe('killed');
    expect(incus.instances.all.has(CONTAINER)).toBe(false);
    const copies = [...incus.instances.all.keys()].filter((n) => n !== CONTAINER);
    expect(copies).toHaveLength(1);
  });
});
