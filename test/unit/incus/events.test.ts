import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  decodeEvent,
  eventInstance,
  isLifecycle,
} from '../../../src/incus/events.js';
import type { LifecycleEvent } from '../../../src/incus/event-types.js';

const paused = JSON.stringify({
  type: 'lifecycle',
  timestamp: '2026-11-23T12:00:00Z',
  location: 'none',
  project: 'default',
  metadata: {
    action: 'instance-paused',
    source: '/1.0/instances/probe-a',
    name: 'probe-a',
    project: 'default',
    requestor: { username: 'root', protocol: 'unix', address: '@' },
    context: null,
  },
});

describe('event decoding', () => {
  it('decodes lifecycle events and narrows them by action', () => {
    const event = decodeEvent(paused);
    expect(event?.type).toBe('lifecycle');
    expect(event && isLifecycle(event, 'instance-paused')).toBe(true);
    expect(event && isLifecycle(event, 'instance-resumed')).toBe(false);
    expect(eventInstance(event as LifecycleEvent)).toBe('probe-a');
  });

  it('finds the instance of snapshot events', () => {
    const event = decodeEvent(
      JSON.stringify({
        type: 'lifecycle',
        timestamp: '',
        location: 'none',
        metadata: {
          action: 'instance-snapshot-renamed',
          source: '/1.0/instances/c%201/snapshots/s2',
          context: { old_name: 'c 1/s1' },
        },
      }),
    );
    expect(eventInstance(event as LifecycleEvent)).toBe('c 1');
  });

  it('ignores what is not a daemon event', () => {
    expect(decodeEvent('not json')).toBeUndefined();
    expect(decodeEvent('{"type":"gap","metadata":{}}')).toBeUndefined();
    expect(decodeEvent('{"type":"lifecycle"}')).toBeUndefined();
    expect(decodeEvent('[]')).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the maximum, with ±20 % jitter', () => {
    for (let i = 0; i < 50; i++) {
      const first = backoffDelay(0, { initialMs: 100, maxMs: 1000 });
      expect(first).toBeGreaterThanOrEqual(80);
      expect(first).toBeLessThanOrEqual(120);
      const third = backoffDelay(2, { initialMs: 100, maxMs: 1000 });
      expect(third).toBeGreaterThanOrEqual(320);
      expect(third).toBeLessThanOrEqual(480);
      expect(backoffDelay(40, { initialMs: 100, maxMs: 1000 })).toBeLessThanOrEqual(1200);
    }
  });
});
