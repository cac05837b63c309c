import { describe, expect, it } from 'vitest';
import { nftVerdict, nftVersion } from '../../../../src/core/health/network-checks.js';

describe('nftables version', () => {
  it('reads `nft --version` and warns below 0.9.4', () => {
    expect(nftVersion('nftables v1.0.6 (Lester Gooch #5)')).toEqual([1, 0, 6]);
    expect(nftVersion('nftables v0.9')).toEqual([0, 9, 0]);
    expect(nftVersion('nft')).toBeUndefined();
    expect(nftVerdict('nftables v1.0.6 (Lester Gooch #5)')).toEqual({
      status: 'ok',
      message: 'nftables 1.0.6, rules can be read',
      details: { version: '1.0.6' },
    });
    expect(nftVerdict('nftables v0.9.3 (Topsy)').message).toMatch(
      /^nftables 0\.9\.3 is older than 0\.9\.4/,
    );
    expect(nftVerdict('something else').status).toBe('warning');
  });
});
