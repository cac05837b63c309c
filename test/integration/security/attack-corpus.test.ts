import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESOLVER_PORT, type DnsResolver } from '../../../src/security/dns/index.js';
import { ImagesApi } from '../../../src/incus/images.js';
import { NetworkGuard } from '../../../src/security/network/index.js';
import type { AuditRecord } from '../../../src/security/audit/record.js';
import { containerName } from '../../../src/shared/naming.js';
import {
  CORPUS_RESTRICTED,
  fireRow,
  policyFor,
  prepareRow,
  startCorpusResolver,
  warmPageCache,
} from '../../helpers/attack-runner.js';
import { CACHED_DEFAULT } from '../../helpers/cached-default.js';
import type { MonitorBed } from '../../helpers/monitor-bed.js';
import { IO_BOOT_GRACE_MS, attackerPort, monitorBedForFile } from '../../helpers/monitor-bed.js';
import { launchGuarded } from '../../helpers/network-testbed.js';
import {
  BASE_IMAGE,
  BRIDGE,
  GATEWAY,
  TEST_PREFIX,
  deleteTestContainer,
  incus,
} from '../../helpers/testbed.js';
import { ATTACK_CORPUS, needsDefaultImage, type AttackRow } from './attack-corpus-table.js';

/**
 * Every row of the attack corpus, performed in a real container (coi's restricted or allowlist
 * rules, watched by the in-process monitor daemon): the audit record must carry the row's level,
 * category, title and action, and Incus must then report the container gone, frozen or running.
 * A row that kills gets a fresh container; pause and alert rows of one class share one, which is
 * unfrozen after each row.
 */

/** Made by the global set-up; without it the rows that need node or full python3 are skipped. */
const DEFAULT_IMAGE = CACHED_DEFAULT;

const PORT = attackerPort();
const guard = new NetworkGuard({
  bridge: BRIDGE,
  gateway: GATEWAY,
  resolver: { address: GATEWAY, port: DEFAULT_RESOLVER_PORT },
});
let bed: MonitorBed;
monitorBedForFile(PORT, (b) => (bed = b), { guard });

const hasDefault = (await new ImagesApi(incus()).findByAlias(DEFAULT_IMAGE)) !== undefined;
const image = hasDefault ? DEFAULT_IMAGE : BASE_IMAGE;
let sibling: { name: string; ip: string };
let resolver: DnsResolver | undefined;
const shared = new Map<string, { name: string; ip: string }>();

beforeAll(async () => {
  sibling = await launchGuarded('corpus-sibling', guard, CORPUS_RESTRICTED);
  resolver = await startCorpusResolver(GATEWAY, guard, bed.daemon);
});

afterAll(async () => {
  await resolver?.stop();
  // Before the bed closes: attacks still running in them hold its exec requests open.
  for (const c of [sibling, ...shared.values()])
    if (c) {
      await guard.release(c.ip);
      await deleteTestContainer(c.name);
    }
});

let launched = 0;

/** A guarded, watched container ready for `row`: its own if the row kills, else its class's. */
async function containerFor(row: AttackRow): Promise<{ name: string; ip: string }> {
  const reuse = row.final !== 'gone';
  const existing = reuse ? shared.get(row.class) : undefined;
  if (existing) return existing;
  const label = `corpus-${(launched += 1)}`;
  const name = containerName(`/monitor-test/${label}`, 1, TEST_PREFIX);
  const c = await launchGuarded(name.slice(TEST_PREFIX.length), guard, policyFor(row.setup), {
    image,
  });
  await bed.daemon.watchOf(c.name);
  // The boot's own reads, when it outlasts the bed's I/O grace on a loaded host, add up to a mass
  // read with the row's (seen: 77 MB in 7 s with a node row): the rows start once it is done.
  await bed.incus.exec.run(c.name, ['systemctl', 'is-system-running', '--wait']);
  await prepareRow(bed.incus, bed.daemon, c.name, row.setup, IO_BOOT_GRACE_MS);
  if (reuse) shared.set(row.class, c);
  return c;
}

/** How long a known-gap row is watched for an alert that must not come (scans run every ~1 s). */
const GAP_WAIT_MS = 5000;

const STATUS = { gone: undefined, frozen: 'Frozen', running: 'Running' } as const;

describe('attack corpus', () => {
  it.for(
    ATTACK_CORPUS.map((row) => ({ title: `${row.class}: ${row.name} (${row.interpreter})`, row })),
  )('$title', async ({ row }, { skip }) => {
    skip(needsDefaultImage(row) && !hasDefault, `${DEFAULT_IMAGE} is not built`);
    const c = await containerFor(row);
    const since = Date.now() - 1000;
    const mine = (r: AuditRecord) =>
      Date.parse(r.timestamp) >= since && r.category === row.category && r.title === row.title;
    // A cold first node start would be taken for a mass read (a known false positive).
    if (row.interpreter === 'node') await warmPageCache(bed.incus, c.name);
    void fireRow(
      bed.incus,
      c.name,
      row,
      { gateway: GATEWAY, port: PORT, sibling: sibling.ip },
      { seen: async () => (await bed.records(c.name)).some(mine) },
    );
    if (row.gap) {
      await new Promise((resolve) => setTimeout(resolve, GAP_WAIT_MS));
      expect((await bed.records(c.name)).filter(mine), row.gap).toEqual([]);
      expect(await bed.status(c.name)).toBe('Running');
      // The attack still runs, and its exec would hold the bed's Incus client open.
      await guard.release(c.ip);
      await deleteTestContainer(c.name);
      return;
    }
    const record = await bed.waitForRecord(c.name, mine, 20_000);
    expect(
      { level: record.level, action: record.action },
      `${record.title}: ${record.description}`,
    ).toEqual({ level: row.level, action: row.action });
    await bed.waitForStatus(c.name, STATUS[row.final]);
    if (row.final === 'gone') {
      expect(record.forensic_copy).toMatch(new RegExp(`^${TEST_PREFIX}forensics-`));
      // Now rather than all at the end: thirty copies would outlast the bed's close hook.
      await deleteTestContainer(record.forensic_copy!);
    }
    if (row.final === 'frozen') {
      const { value } = await bed.incus.instances.get(c.name);
      expect(value.config['user.coi.frozen_by']).toBe('threat');
      await (await bed.incus.instances.unfreeze(c.name)).wait();
      await bed.waitForStatus(c.name, 'Running');
    }
  });
});
