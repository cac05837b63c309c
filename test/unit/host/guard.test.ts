import { describe, expect, it } from 'vitest';
import { guardRuleset } from '../../../src/core/host/guard.js';
import { run } from '../../../src/core/host/run.js';

describe('test-bed guard table', () => {
  it('drops what leaves the bridge by another interface', () => {
    expect(guardRuleset('incusbr0')).toContain(
      'iifname "incusbr0" oifname != "incusbr0" counter drop',
    );
  });

  it('is a valid nft batch (checked by nft -c, which changes nothing)', async () => {
    await expect(
      run('nft', ['-c', '-f', '-'], { stdin: guardRuleset('incusbr0') }),
    ).resolves.toBeDefined();
  });
});
