import { describe, expect, it } from 'vitest';
import { instanceVeths, orphanedVeths, parseVeths } from '../../../../src/core/host/veths.js';

const listing = JSON.stringify([
  { ifindex: 451, ifname: 'vethd52ca259', master: 'incusbr0', operstate: 'UP' },
  { ifindex: 460, ifname: 'veth0badc0de', operstate: 'DOWN' },
  { ifindex: 461, ifname: 'veth1a2b3c4d', operstate: 'UP' },
  { ifindex: 470, ifname: 'vethmine', operstate: 'UP' },
  { ifindex: 471, ifname: 'veth0123abcd9', operstate: 'UP' },
  { ifindex: 472, ifname: 'veth5e6f7a8b', master: 'docker0' },
]);

describe('orphaned veths', () => {
  it('reads ip -j link output, master or not', () => {
    expect(parseVeths(listing).slice(0, 2)).toEqual([
      { name: 'vethd52ca259', master: 'incusbr0' },
      { name: 'veth0badc0de' },
    ]);
    expect(parseVeths('')).toEqual([]);
    expect(() => parseVeths('{"ifname":"x"}')).toThrow(/JSON array/);
  });

  it('picks Incus-named veths without a master that no instance uses', () => {
    const inUse = instanceVeths([
      { state: null },
      {
        state: {
          network: { eth0: { host_name: 'veth1a2b3c4d' }, lo: { host_name: '' } },
        },
      } as never,
    ]);
    expect([...inUse]).toEqual(['veth1a2b3c4d']);
    expect(orphanedVeths(parseVeths(listing), inUse)).toEqual(['veth0badc0de']);
  });
});
