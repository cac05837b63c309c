import { describe, expect, it } from 'vitest';
import type { IncusEvent } from '../../../../src/incus/event-types.js';
import { coiLifecycle, type CoiLifecycle } from '../../../../src/security/monitor/coi-lifecycle.js';

const PREFIX = 'coi-';
const COI = 'coi-0123abcd-2';

function lifecycle(action: string, source: string): IncusEvent {
  return {
    type: 'lifecycle',
    timestamp: '2026-11-23T10:00:00Z',
    location: 'none',
    metadata: { action, source, context: null },
  };
}

const MATCHING: Array<[string, string, CoiLifecycle]> = [
  ['instance-started', `/1.0/instances/${COI}`, { name: COI, kind: 'started' }],
  ['instance-restarted', `/1.0/instances/${COI}`, { name: COI, kind: 'started' }],
  ['instance-resumed', `/1.0/instances/${COI}`, { name: COI, kind: 'resumed' }],
  ['instance-paused', `/1.0/instances/${COI}`, { name: COI, kind: 'paused' }],
  ['instance-stopped', `/1.0/instances/${COI}`, { name: COI, kind: 'stopped' }],
  ['instance-shutdown', `/1.0/instances/${COI}`, { name: COI, kind: 'stopped' }],
  ['instance-deleted', `/1.0/instances/${COI}`, { name: COI, kind: 'deleted' }],
  ['instance-deleted', `/1.0/instances/${COI}?project=p`, { name: COI, kind: 'deleted' }],
  ['instance-created', `/1.0/instances/${COI}`, { name: COI, kind: 'changed' }],
  ['instance-updated', `/1.0/instances/${COI}`, { name: COI, kind: 'changed' }],
  ['instance-exec', `/1.0/instances/${COI}`, { name: COI, kind: 'changed' }],
  // A snapshot's deletion is a change of its container, not the container's deletion.
  [
    'instance-snapshot-deleted',
    `/1.0/instances/${COI}/snapshots/s1`,
    { name: COI, kind: 'changed' },
  ],
];

const NOT_MATCHING: Array<[string, string]> = [
  ['instance-started', '/1.0/instances/web-1'],
  ['instance-deleted', '/1.0/instances/coi-0123abcd-11'],
  ['instance-deleted', '/1.0/instances/coi-0123abcd'],
  ['instance-started', '/1.0/instances/xcoi-0123abcd-2'],
  ['image-deleted', '/1.0/images/0123abcd'],
  ['network-updated', '/1.0/networks/incusbr0'],
  ['instance-started', '/1.0/instances/'],
];

describe('coiLifecycle', () => {
  it.each(MATCHING)('%s on %s → %j', (action, source, expected) => {
    expect(coiLifecycle(lifecycle(action, source), PREFIX)).toEqual(expected);
  });

  it.each(NOT_MATCHING)('ignores %s on %s', (action, source) => {
    expect(coiLifecycle(lifecycle(action, source), PREFIX)).toBeUndefined();
  });

  it('ignores events that are not lifecycle events', () => {
    const gap: IncusEvent = { type: 'gap', since: 'a', until: 'b', reason: 'reconnect' };
    const operation = {
      type: 'operation',
      timestamp: '2026-11-23T10:00:00Z',
      location: 'none',
      metadata: { resources: { instances: [`/1.0/instances/${COI}`] } },
    } as unknown as IncusEvent;
    expect(coiLifecycle(gap, PREFIX)).toBeUndefined();
    expect(coiLifecycle(operation, PREFIX)).toBeUndefined();
  });

  it('matches only the prefix it is given', () => {
    const test = lifecycle('instance-started', '/1.0/instances/coi-test-0123abcd-1');
    expect(coiLifecycle(test, 'coi-test-')).toEqual({
      name: 'coi-test-0123abcd-1',
      kind: 'started',
    });
    expect(coiLifecycle(lifecycle('instance-started', `/1.0/instances/${COI}`), 'coi-test-')).toBe(
      undefined,
    );
  });
});
