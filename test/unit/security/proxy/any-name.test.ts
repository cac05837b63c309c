import { describe, expect, it } from 'vitest';
import { anyNameDestination } from '../../../../src/security/proxy/any-name.js';

const OPEN = { metadata: false, private: false, gateway: '10.99.0.1' };
const RESTRICTED = { metadata: true, private: true, gateway: '10.99.0.1' };

describe('anyNameDestination', () => {
  it('open mode: the first address, also a private one', () => {
    expect(anyNameDestination('a.test', ['192.168.1.5', '1.2.3.4'], OPEN)).toEqual({
      address: '192.168.1.5',
    });
  });

  it('restricted mode: skips blocked addresses, the gateway passes', () => {
    expect(
      anyNameDestination('a.test', ['169.254.169.254', '10.1.2.3', '1.2.3.4'], RESTRICTED),
    ).toEqual({ address: '1.2.3.4' });
    expect(anyNameDestination('gw.test', ['10.99.0.1'], RESTRICTED)).toEqual({
      address: '10.99.0.1',
    });
  });

  it('refuses when every address is blocked, naming why', () => {
    expect(anyNameDestination('lan.test', ['192.168.1.5'], RESTRICTED)).toEqual({
      refused:
        '"lan.test" resolves to 192.168.1.5, a private network, which the container may not reach',
    });
    expect(anyNameDestination('m.test', ['169.254.169.254'], RESTRICTED)).toMatchObject({
      refused: expect.stringContaining('the metadata endpoint'),
    });
    expect(anyNameDestination('none.test', [], OPEN)).toEqual({
      refused: '"none.test" has no IPv4 address',
    });
  });

  it("never the host's loopback, in any mode", () => {
    for (const address of ['127.0.0.1', '127.5.5.5', '0.0.0.0'])
      expect(anyNameDestination('lo.test', [address], OPEN)).toMatchObject({
        refused: expect.stringContaining("the host's loopback"),
      });
  });
});
