import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseNetDev, readNetCounters } from '../../../../src/core/top/net-dev.js';
import { FixtureTree } from '../../../helpers/fixture-tree.js';

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:  999999       9    0    0    0     0          0         0   999999       9    0    0    0     0       0          0
  eth0:     694       2    0    0    0     0          0         0     1200       8    0    0    0     0       0          0
  eth1:1000 1 0 0 0 0 0 0 24 1 0 0 0 0 0 0
`;

describe('/proc/<pid>/net/dev', () => {
  it('sums received and sent bytes over every interface but loopback', () => {
    expect(parseNetDev(NET_DEV)).toEqual({ rxBytes: 1694, txBytes: 1224 });
  });

  it('ignores the headers and lines it cannot read', () => {
    expect(parseNetDev('Inter-| x\n face |bytes\n  eth0: 1 2 3\n')).toEqual({
      rxBytes: 0,
      txBytes: 0,
    });
  });

  let proc: FixtureTree;
  beforeEach(() => (proc = new FixtureTree()));
  afterEach(() => proc.remove());

  it("reads a process's network namespace, undefined once it is gone", () => {
    proc.write('42/net/dev', NET_DEV);
    expect(readNetCounters(42, proc.root)).toEqual({ rxBytes: 1694, txBytes: 1224 });
    expect(readNetCounters(43, proc.root)).toBeUndefined();
  });

  it.skipIf(!existsSync('/proc/self/net/dev'))('agrees with a column count of this host', () => {
    const text = readFileSync('/proc/self/net/dev', 'utf8');
    let rx = 0;
    let tx = 0;
    for (const line of text.split('\n').slice(2)) {
      const [name, data] = line.split(':');
      if (!data || name!.trim() === 'lo') continue;
      const cols = data.trim().split(/\s+/);
      rx += Number(cols[0]);
      tx += Number(cols[8]);
    }
    expect(parseNetDev(text)).toEqual({ rxBytes: rx, txBytes: tx });
  });
});
