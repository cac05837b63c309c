import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls: string[] = [];
/** The table as listed: the chain of 10.0.0.5, whose launch prepared its rules just now. */
const LISTING = JSON.stringify({
  nftables: [{ chain: { family: 'inet', table: 'coi', name: 'c_10_0_0_5' } }],
});

vi.mock('../../../../src/security/network/nft-run.js', () => ({
  listCoiTable: () => {
    calls.push('list table');
    return Promise.resolve(LISTING);
  },
  applyBatch: (batch: string) => {
    if (batch !== '') calls.push(`apply ${batch}`);
    return Promise.resolve();
  },
}));

const { NetworkGuard } = await import('../../../../src/security/network/guard.js');

beforeEach(() => {
  calls.length = 0;
});

describe('NetworkGuard.reconcile', () => {
  const guard = new NetworkGuard({ bridge: 'testbr0', gateway: '10.0.0.1' });

  it('reads the live addresses after the table, so a launch under way keeps its rules', async () => {
    const stale = await guard.reconcile(() => {
      calls.push('read live addresses');
      return Promise.resolve(['10.0.0.5']);
    });
    expect(stale).toEqual([]);
    expect(calls).toEqual(['list table', 'read live addresses']);
  });

  it('removes the objects of an address no instance has', async () => {
    const stale = await guard.reconcile(() => Promise.resolve([]));
    expect(stale).toEqual(['10.0.0.5']);
    expect(calls.at(-1)).toMatch(/^apply .*c_10_0_0_5/s);
  });
});
