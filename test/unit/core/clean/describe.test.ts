import { describe, expect, it } from 'vitest';
import { describePlan } from '../../../../src/core/clean/describe.js';
import type { CleanPlan } from '../../../../src/core/clean/plan.js';

const empty: CleanPlan = {
  stopped: [],
  sessions: [],
  locks: [],
  firewall: [],
  veths: [],
  pools: [],
  warnings: [],
};

describe('coi clean --dry-run listing', () => {
  it('prints nothing for an empty plan', () => {
    expect(describePlan(empty)).toEqual([]);
  });

  it('lists each kind with its count, leftovers grouped, pools behind the warning', () => {
    const lines = describePlan({
      ...empty,
      stopped: ['coi-a-1'],
      firewall: ['192.0.2.7'],
      veths: ['veth0123abcd'],
      pools: [{ pool: 'old', containers: ['coi-c-1'] }],
    });
    expect(lines).toEqual([
      'Stopped containers (1):',
      '  - coi-a-1',
      'Leftovers of containers that are gone:',
      '  Firewall rules of addresses no container holds (1):',
      '    - 192.0.2.7',
      '  Orphaned veth interfaces (1):',
      '    - veth0123abcd',
      'WARNING: these pools may still be used by profiles of other projects on this machine that',
      'coi cannot see from here; cleaning them affects every project whose profile points there.',
      'Pool "old" is not referenced by any config or profile loaded in this directory.',
      '  coi containers in "old" (1):',
      '    - coi-c-1',
    ]);
  });
});
