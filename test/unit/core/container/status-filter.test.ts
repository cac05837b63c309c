import { describe, expect, it } from 'vitest';
import {
  containersHeading,
  statusFilter,
  withStatus,
} from '../../../../src/core/container/status-filter.js';
import { CoiError } from '../../../../src/shared/errors.js';

const usage = (fn: () => unknown): CoiError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CoiError && err.kind === 'usage') return err;
    throw err;
  }
  throw new Error('expected a usage error');
};

describe('coi list status filter', () => {
  it('maps --running, --stopped and --status to one lowercase status', () => {
    expect(statusFilter({})).toBeUndefined();
    expect(statusFilter({ running: true })).toBe('running');
    expect(statusFilter({ stopped: true })).toBe('stopped');
    expect(statusFilter({ status: 'Frozen' })).toBe('frozen');
    expect(statusFilter({ status: 'ready' })).toBe('ready');
  });

  it('refuses any two filters together, even a consistent pair', () => {
    for (const flags of [
      { running: true, stopped: true },
      { running: true, status: 'running' },
      { stopped: true, status: 'frozen' },
    ])
      expect(usage(() => statusFilter(flags)).message).toMatch(/mutually exclusive/);
  });

  it('names a bad status and the ones it accepts, also for an empty value', () => {
    expect(usage(() => statusFilter({ status: 'paused' })).message).toBe(
      'invalid status "paused" (use one of running, stopped, frozen, error, starting, stopping, ' +
        'freezing, thawed, aborting, ready)',
    );
    expect(usage(() => statusFilter({ status: '' })).message).toMatch(/^invalid status ""/);
  });

  it('filters by Incus status case-insensitively and names the heading after the filter', () => {
    const items = [
      { name: 'a', status: 'Running' },
      { name: 'b', status: 'Stopped' },
      { name: 'c', status: 'Frozen' },
    ];
    expect(withStatus(items).map((i) => i.name)).toEqual(['a', 'b', 'c']);
    expect(withStatus(items, 'stopped').map((i) => i.name)).toEqual(['b']);
    expect(withStatus(items, 'error')).toEqual([]);
    expect(containersHeading()).toBe('Active Containers:');
    expect(containersHeading('stopped')).toBe('Stopped Containers:');
  });
});
