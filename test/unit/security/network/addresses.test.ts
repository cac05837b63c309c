import { describe, expect, it } from 'vitest';
import { pickFree } from '../../../../src/security/network/addresses.js';
import { pinnedAddresses } from '../../../../src/shared/instance-network.js';

describe('pinned address allocation', () => {
  it('takes the highest host address nobody holds, never the gateway or broadcast', () => {
    expect(pickFree('10.99.0.1/24', new Set())).toBe('10.99.0.254');
    expect(pickFree('10.99.0.1/24', new Set(['10.99.0.254', '10.99.0.253']))).toBe('10.99.0.252');
    expect(pickFree('10.99.0.254/24', new Set())).toBe('10.99.0.253');
  });

  it('works for subnets that do not end on an octet', () => {
    expect(pickFree('172.16.4.1/22', new Set())).toBe('172.16.7.254');
  });

  it('says what to do when the subnet is full', () => {
    expect(() => pickFree('10.0.0.1/30', new Set(['10.0.0.2']))).toThrow(
      /no free IPv4 address left in 10\.0\.0\.1\/30.*coi clean/,
    );
  });

  it('reads pinned addresses from NIC devices only', () => {
    expect(
      pinnedAddresses({
        expanded_devices: {
          eth0: { type: 'nic', network: 'incusbr0', 'ipv4.address': '10.99.0.7' },
          eth1: { type: 'nic', network: 'incusbr0' },
          root: { type: 'disk', path: '/', 'ipv4.address': '10.99.0.8' },
        },
      }),
    ).toEqual(['10.99.0.7']);
  });
});
