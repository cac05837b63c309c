import { describe, expect, it } from 'vitest';
import { poolVerdict } from '../../../../src/core/health/storage-checks.js';

const GiB = 2 ** 30;

describe('pool verdict', () => {
  it('grades pool space and drivers', () => {
    expect(poolVerdict('btrfs', 10 * GiB, 40 * GiB).status).toBe('ok');
    expect(poolVerdict('dir', 10 * GiB, 40 * GiB).status).toBe('warning');
    expect(poolVerdict('btrfs', 34 * GiB, 40 * GiB).status).toBe('warning');
    expect(poolVerdict('btrfs', 37 * GiB, 40 * GiB).status).toBe('failed');
    expect(poolVerdict('zfs', 0, 3 * GiB).status).toBe('warning');
  });
});
