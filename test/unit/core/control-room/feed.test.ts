import { describe, expect, test } from 'vitest';
import { roomSlot } from '../../../../src/core/control-room/feed.js';
import type { InstanceFull } from '../../../../src/incus/instance-types.js';

/** An instance as Incus returns it (recursion=2), with only the fields the feed reads filled in. */
function instance(status: string, config: Record<string, string>): InstanceFull {
  return {
    name: 'coi-0123abcd-2',
    status,
    config: { 'user.coi.workspace': '/home/u/p', 'user.coi.tool': 'claude', ...config },
    expanded_config: {},
    expanded_devices: { root: { type: 'disk', path: '/', pool: 'default' } },
    created_at: '2026-11-23T10:00:00Z',
    state: null,
  } as unknown as InstanceFull;
}

describe('roomSlot: frozen by threat', () => {
  test('a container the responder froze (user.coi.frozen_by=threat) is flagged as such', () => {
    const slot = roomSlot(instance('Frozen', { 'user.coi.frozen_by': 'threat' }), 'coi-');
    expect(slot).toMatchObject({ state: 'frozen', frozenByThreat: true, slot: 2 });
  });

  test('a user pause is frozen, not frozen by threat', () => {
    expect(roomSlot(instance('Frozen', {}), 'coi-')?.frozenByThreat).toBe(false);
  });

  test('a stale marker on a running container does not count', () => {
    const slot = roomSlot(instance('Running', { 'user.coi.frozen_by': 'threat' }), 'coi-');
    expect(slot).toMatchObject({ state: 'running', frozenByThreat: false });
  });
});

describe('roomSlot: published ports', () => {
  test('carries the coi-port-* devices as `coi list` labels them, and nothing without any', () => {
    const published = instance('Running', {});
    published.expanded_devices['coi-port-web'] = {
      type: 'proxy',
      bind: 'host',
      listen: 'tcp:127.0.0.1:18080',
      connect: 'tcp:127.0.0.1:3000',
    };
    expect(roomSlot(published, 'coi-')?.ports).toEqual(['web:18080->3000']);
    expect(roomSlot(instance('Running', {}), 'coi-')).not.toHaveProperty('ports');
  });
});
