import { describe, expect, it } from 'vitest';
import { forwardGuardRuleset } from '../../../../src/security/nft/forward-guard.js';
import { run } from '../../../../src/shared/run.js';

describe('test-bed guard table', () => {
  it('drops what leaves the bridge by another interface', () => {
    expect(forwardGuardRuleset('incusbr0')).toContain(
      'iifname "incusbr0" oifname != "incusbr0" counter drop',
    );
  });

  it('is a valid nft batch (checked by nft -c, which changes nothing)', async () => {
    await expect(
      run('nft', ['-c', '-f', '-'], { stdin: forwardGuardRuleset('incusbr0') }),
    ).resolves.toBeDefined();
  });
});
