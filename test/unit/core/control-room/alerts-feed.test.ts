import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AlertsFeed, toRoomAlert } from '../../../../src/core/control-room/alerts-feed.js';
import { DECISION_TITLES } from '../../../../src/security/monitor/network-audit.js';
import type { RoomAlert } from '../../../../src/core/control-room/types.js';
import { serializeRecord, type AuditRecord } from '../../../../src/security/audit/record.js';
import { AuditWriter, type AuditEntry } from '../../../../src/security/audit/writer.js';

const PREFIX = 'coi-';
const C1 = 'coi-0123abcd-1';
const C2 = 'coi-0123abcd-2';

function entry(container: string, title: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    container,
    workspace: '/home/u/project',
    level: 'high',
    category: 'network',
    title,
    description: 'connection to 10.99.0.1:4444',
    evidence: {
      network: {
        container_ip: '10.99.0.5',
        protocol: 'tcp',
        src_ip: '10.99.0.5',
        dst_ip: '10.99.0.1',
        dst_port: 4444,
        reason: 'suspicious port',
      },
    },
    action: 'paused',
    detection_latency_ms: 3,
    ...extra,
  };
}

async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let dir: string;
let feed: AlertsFeed | undefined;
const batches: RoomAlert[][] = [];
const received = () => batches.flat();

function startFeed(acked: string[] = [], problems: string[] = []): Promise<void> {
  feed = new AlertsFeed(
    { addAlerts: (alerts) => batches.push(alerts) },
    {
      dir,
      prefix: PREFIX,
      acknowledged: async () => new Set(acked),
      onProblem: (p) => problems.push(p),
    },
  );
  return feed.start();
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coi-alerts-feed-'));
  batches.length = 0;
});

afterEach(async () => {
  feed?.stop();
  feed = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('toRoomAlert', () => {
  const record: AuditRecord = {
    id: 'r1',
    timestamp: '2026-11-23T12:00:00.000Z',
    ...entry(C1, 'Reverse shell detected', { level: 'critical', action: 'killed' }),
  };

  test('maps level to severity, slot from the name, ack state from the store', () => {
    expect(toRoomAlert(record, PREFIX, new Set(['r1']))).toEqual({
      id: 'r1',
      time: Date.parse('2026-11-23T12:00:00.000Z'),
      severity: 'critical',
      container: C1,
      slot: 1,
      workspace: '/home/u/project',
      title: 'Reverse shell detected',
      description: 'connection to 10.99.0.1:4444',
      category: 'network',
      action: 'killed',
      evidence: record.evidence,
      acknowledged: true,
    });
  });

  test('skips other prefixes and deduplicated repeats', () => {
    expect(toRoomAlert({ ...record, container: 'other-0123abcd-1' }, PREFIX, new Set())).toBe(
      undefined,
    );
    expect(toRoomAlert({ ...record, action: 'deduplicated' }, PREFIX, new Set())).toBe(undefined);
  });

  test('leaves network decisions (allowed connections, names allowed or blocked) to the network tail', () => {
    for (const title of Object.values(DECISION_TITLES))
      expect(toRoomAlert({ ...record, level: 'info', title }, PREFIX, new Set()), title).toBe(
        undefined,
      );
    expect(toRoomAlert({ ...record, level: 'info' }, PREFIX, new Set())).toBeDefined();
  });
});

describe('AlertsFeed', () => {
  test('replays closed and active files at start as one batch, acks applied', async () => {
    const old: AuditRecord = {
      id: 'old-1',
      timestamp: '2026-11-20T08:00:00.000Z',
      ...entry(C1, 'Old alert'),
    };
    await writeFile(join(dir, `${C1}.2026-11-20.jsonl`), serializeRecord(old));
    const writer = new AuditWriter(dir);
    const a = await writer.append(entry(C1, 'First'));
    await writer.append(entry(C2, 'Second', { level: 'warning', action: 'alerted' }));
    await startFeed([a.id]);
    expect(batches).toHaveLength(1);
    expect(received().map((x) => x.title)).toEqual(['Old alert', 'First', 'Second']);
    expect(received().find((x) => x.id === a.id)?.acknowledged).toBe(true);
    expect(received().find((x) => x.title === 'Second')).toMatchObject({
      severity: 'warning',
      slot: 2,
      acknowledged: false,
    });
  });

  test('follows new lines and picks up files of containers that appear later', async () => {
    const writer = new AuditWriter(dir);
    await writer.append(entry(C1, 'Before'));
    await startFeed();
    await writer.append(entry(C1, 'After'));
    await until(() => received().length === 2, 'the appended line');
    await writer.append(entry(C2, 'New container'));
    await until(() => received().length === 3, 'the new file');
    expect(received().map((x) => x.title)).toEqual(['Before', 'After', 'New container']);
  });

  test('a burst of 20 alerts in a second arrives complete', async () => {
    await startFeed();
    const writer = new AuditWriter(dir);
    for (let i = 0; i < 20; i++) await writer.append(entry(C1, `Burst ${i}`));
    await until(() => received().length === 20, '20 alerts');
    expect(new Set(received().map((x) => x.id)).size).toBe(20);
  });

  test('an invalid line is reported with file and line, and the rest still arrives', async () => {
    const problems: string[] = [];
    const path = join(dir, `${C1}.jsonl`);
    await writeFile(path, 'not json\n');
    await startFeed([], problems);
    await appendFile(
      path,
      serializeRecord({ id: 'x', timestamp: new Date().toISOString(), ...entry(C1, 'Valid') }),
    );
    await until(() => received().length === 1, 'the valid line');
    expect(problems[0]).toContain(`${path}:1: not an audit record`);
  });
});
