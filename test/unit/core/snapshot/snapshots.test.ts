import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  autoSnapshotName,
  checkSnapshotName,
  createSnapshot,
} from '../../../../src/core/snapshot/snapshots.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';
import { inTimeZone } from '../../../helpers/time-zone.js';

// 05:00 on the 5th in Kolkata (UTC+5:30): a local-time name would differ in day and hour.
inTimeZone('Asia/Kolkata');
const NOW = new Date('2026-03-04T23:30:00Z');

describe('snapshot names', () => {
  it('auto-names snap-YYYYMMDD-HHMMSS in local time and rejects odd names', () => {
    expect(autoSnapshotName(new Date('2026-03-04T05:06:07.890Z'))).toBe('snap-20260304-103607');
    expect(autoSnapshotName(NOW)).toBe('snap-20260305-050000');
    expect(() => checkSnapshotName('ok-name_1.2')).not.toThrow();
    expect(() => checkSnapshotName('../x')).toThrow(/not valid/);
    expect(() => checkSnapshotName('a/b')).toThrow(/not valid/);
  });
});

describe('createSnapshot', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('names an unnamed snapshot after the current local time', async () => {
    const incus = new FakeIncus([{ name: 'box' }]);
    const snap = await createSnapshot(incus, 'box');
    expect(snap.name).toBe('snap-20260305-050000');
    expect(await incus.snapshots.names('box')).toEqual(['snap-20260305-050000']);
  });

  it('refuses a name the container already has, and creates nothing', async () => {
    const incus = new FakeIncus([{ name: 'box', snapshots: ['snap-20260305-050000'] }]);
    await expect(createSnapshot(incus, 'box')).rejects.toThrow(
      'box already has a snapshot named "snap-20260305-050000"',
    );
    await expect(createSnapshot(incus, 'box', { name: 'snap-20260305-050000' })).rejects.toThrow(
      /already has a snapshot/,
    );
    expect(incus.calls).not.toContain('snapshots.create box');
  });
});
