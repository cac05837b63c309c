import { describe, expect, it } from 'vitest';
import { diskVerdict, poolVerdict } from '../../../../src/core/health/storage-checks.js';

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

describe('disk space verdict', () => {
  it('warns under 5 GiB free and fails under 1 GiB', () => {
    expect(diskVerdict('/home/u/.coi', 20 * GiB, 100 * GiB)).toMatchObject({
      status: 'ok',
      message: '20.0 GiB free of 100.0 GiB on /home/u/.coi',
    });
    expect(diskVerdict('/', 4 * GiB, 100 * GiB).status).toBe('warning');
    expect(diskVerdict('/', 0.5 * GiB, 100 * GiB).status).toBe('failed');
  });
});
