import { describe, expect, it } from 'vitest';
import { kernelVersion } from '../../../../src/core/health/system-checks.js';

describe('kernelVersion', () => {
  it('reads kernel versions', () => {
    expect(kernelVersion('6.1.0-18-amd64')).toEqual([6, 1]);
    expect(kernelVersion('5.4.0')).toEqual([5, 4]);
    expect(kernelVersion('weird')).toBeUndefined();
  });
});
