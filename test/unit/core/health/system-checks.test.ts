import { describe, expect, it } from 'vitest';
import { kernelVersion } from '../../../../src/core/health/system-checks.js';
import { olderThan } from '../../../../src/core/health/version.js';

describe('kernelVersion', () => {
  it('reads kernel versions', () => {
    expect(kernelVersion('6.1.0-18-amd64')).toEqual([6, 1]);
    expect(kernelVersion('5.4.0')).toEqual([5, 4]);
    expect(kernelVersion('weird')).toBeUndefined();
  });
});

describe('version comparison', () => {
  it('compares dotted versions part by part, missing parts as 0', () => {
    expect(olderThan([5, 4], [5, 15])).toBe(true);
    expect(olderThan([6, 1], [5, 15])).toBe(false);
    expect(olderThan([5, 15], [5, 15])).toBe(false);
    expect(olderThan([0, 9, 3], [0, 9, 4])).toBe(true);
    expect(olderThan([1, 0], [0, 9, 4])).toBe(false);
    expect(olderThan([6], [6, 0])).toBe(false);
  });
});
