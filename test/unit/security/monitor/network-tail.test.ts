import { describe, expect, it } from 'vitest';
import {
  NetworkTail,
  type NetworkDecision,
} from '../../../../src/security/monitor/network-tail.js';

const decision = (n: number): NetworkDecision => ({
  time: n,
  source: 'dns',
  verdict: 'allowed',
  name: `n${n}.test`,
  address: '192.0.2.1',
  reason: 'on the allowlist',
});

describe('NetworkTail', () => {
  it('keeps each container’s decisions apart, newest first', () => {
    const tail = new NetworkTail(10);
    tail.record('coi-a-1', decision(1));
    tail.record('coi-b-1', decision(2));
    tail.record('coi-a-1', decision(3));
    expect(tail.recent('coi-a-1').map((d) => d.time)).toEqual([3, 1]);
    expect(tail.recent('coi-b-1').map((d) => d.time)).toEqual([2]);
    expect(tail.recent('coi-c-1')).toEqual([]);
  });

  it('is bounded: past its size the oldest decisions go, however many arrive', () => {
    const tail = new NetworkTail(3);
    for (let n = 1; n <= 8; n++) tail.record('coi-a-1', decision(n));
    expect(tail.recent('coi-a-1').map((d) => d.time)).toEqual([8, 7, 6]);
  });

  it('forgets a container that is gone', () => {
    const tail = new NetworkTail(3);
    tail.record('coi-a-1', decision(1));
    tail.forget('coi-a-1');
    expect(tail.recent('coi-a-1')).toEqual([]);
  });
});
