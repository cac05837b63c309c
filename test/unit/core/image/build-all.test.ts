import { describe, expect, it } from 'vitest';
import { profilesToBuild, summaryLines } from '../../../../src/core/image/build-all.js';

describe('coi build --all', () => {
  it('builds the profiles with a build of their own, and reports broken ones, by name', () => {
    const order = profilesToBuild([
      { name: 'zeta', hasBuild: true },
      { name: 'plain', hasBuild: false },
      { name: 'broken', error: 'network.mode: expected …' },
      { name: 'alpha', hasBuild: true },
    ]).map((p) => p.name);
    expect(order).toEqual(['alpha', 'broken', 'zeta']);
  });

  it('closes with upstream’s summary', () => {
    expect(summaryLines(['skipped', 'built', 'failed', 'built'])).toEqual([
      '',
      '--- Build summary ---',
      '  Built:   2',
      '  Skipped: 1',
      '  Failed:  1',
    ]);
  });
});
