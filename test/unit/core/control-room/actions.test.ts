import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContainerActions } from '../../../../src/core/control-room/actions.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';
import { inTimeZone } from '../../../helpers/time-zone.js';

// 05:00 on the 5th in Kolkata (UTC+5:30): a local-time name would differ in day and hour.
inTimeZone('Asia/Kolkata');
const NOW = new Date('2026-03-04T23:30:00Z');

/** The control room's snapshot and resume (`RoomActions` inherits them). */
const room = (incus: FakeIncus) => new ContainerActions(incus);

describe('control room: snapshot', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('names the snapshot like `coi snapshot create` does (local time)', async () => {
    const incus = new FakeIncus([{ name: 'box' }]);
    expect(await room(incus).snapshot('box')).toBe('snap-20260305-050000');
    expect(await incus.snapshots.names('box')).toEqual(['snap-20260305-050000']);
  });

  it('refuses a name the container already has a snapshot of', async () => {
    const incus = new FakeIncus([{ name: 'box', snapshots: ['snap-20260305-050000'] }]);
    await expect(room(incus).snapshot('box')).rejects.toThrow(
      'box already has a snapshot named "snap-20260305-050000"',
    );
    expect(incus.calls).not.toContain('snapshots.create box');
  });
});

describe('control room: resume', () => {
  it('unfreezes and clears the threat marker', async () => {
    const incus = new FakeIncus([
      { name: 'box', status: 'Frozen', config: { 'user.coi.frozen_by': 'threat' } },
    ]);
    await room(incus).resume('box');
    expect(incus.instances.all.get('box')?.status).toBe('Running');
    expect(incus.instances.all.get('box')?.config).toEqual({});
  });
});
