import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../../../src/core/update/npm-update.js';

describe('compareVersions', () => {
  it.each([
    ['0.1.0', '0.1.0', 0],
    ['0.1.0', '0.10.0', -1],
    ['0.9.9', '0.10.0', -1],
    ['1.0', '1.0.0', 0],
    ['v1.2.3', '1.2.2', 1],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0', '1.0.0-rc.1', 1],
    ['1.0.0-rc.1', '1.0.0-rc.2', -1],
  ])('%s against %s is %i', (a, b, want) => {
    expect(compareVersions(a, b)).toBe(want);
  });
});
