import { describe, expect, it } from 'vitest';
import {
  cleanScope,
  planSize,
  staleLocks,
  unreferencedPools,
  type CleanPlan,
} from '../../../../src/core/clean/plan.js';

describe('coi clean scope', () => {
  it('cleans stopped containers by default and only what --orphans or --pools name', () => {
    expect(cleanScope({})).toEqual({ stopped: true, sessions: false, pools: false });
    expect(cleanScope({ sessions: true })).toEqual({ stopped: true, sessions: true, pools: false });
    expect(cleanScope({ orphans: true })).toEqual({
      stopped: false,
      sessions: false,
      pools: false,
    });
    expect(cleanScope({ pools: true })).toEqual({ stopped: false, sessions: false, pools: true });
    expect(cleanScope({ orphans: true, sessions: true })).toEqual({
      stopped: false,
      sessions: true,
      pools: false,
    });
    expect(cleanScope({ all: true, orphans: true })).toEqual({
      stopped: true,
      sessions: true,
      pools: true,
    });
  });
});

describe('coi clean plan', () => {
  const containers = [
    { name: 'coi-a-1', pool: 'default' },
    { name: 'coi-b-1', pool: 'fast' },
    { name: 'coi-b-2', pool: 'fast' },
    { name: 'coi-c-1', pool: 'old' },
    { name: 'coi-d-1', pool: '' },
  ];

  it('plans the coi containers of pools nothing refers to, grouped and sorted', () => {
    expect(unreferencedPools(containers, new Set(['default']), 'default')).toEqual([
      { pool: 'fast', containers: ['coi-b-1', 'coi-b-2'] },
      { pool: 'old', containers: ['coi-c-1'] },
    ]);
  });

  it('reads "" as the pool of the default profile, and skips what is already planned', () => {
    expect(unreferencedPools(containers, new Set(['', 'fast']), 'default')).toEqual([
      { pool: 'old', containers: ['coi-c-1'] },
    ]);
    expect(unreferencedPools(containers, new Set(['']), undefined).map((p) => p.pool)).toEqual([
      'default',
      'fast',
      'old',
    ]);
    expect(
      unreferencedPools(containers, new Set(['default']), 'default', new Set(['coi-b-1'])),
    ).toEqual([
      { pool: 'fast', containers: ['coi-b-2'] },
      { pool: 'old', containers: ['coi-c-1'] },
    ]);
  });

  it('finds the lock records of containers that no longer exist', () => {
    expect(staleLocks(['coi-z-1', 'coi-a-1', 'other'], new Set(['coi-a-1', 'other']))).toEqual([
      'coi-z-1',
    ]);
  });

  it('counts every item of every kind', () => {
    const plan: CleanPlan = {
      stopped: ['a'],
      sessions: ['s1', 's2'],
      locks: ['gone'],
      firewall: ['192.0.2.1'],
      veths: ['veth0123abcd'],
      pools: [{ pool: 'old', containers: ['b', 'c'] }],
      warnings: ['ignored'],
    };
    expect(planSize(plan)).toBe(8);
  });
});
