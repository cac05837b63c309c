import { describe, expect, it } from 'vitest';
import { parseContainerName } from '../../../../src/shared/naming.js';
import type { Alert } from '../../../../src/security/alert.js';
import {
  AlertFolder,
  decideAction,
  forensicCopyName,
  parseForensicCopyName,
  planForensicPrune,
} from '../../../../src/security/response/policy.js';

const ON = { autoPauseOnHigh: true, autoKillOnCritical: true };
const OFF = { autoPauseOnHigh: false, autoKillOnCritical: false };

function alert(dst = '169.254.169.254'): Alert {
  return {
    level: 'critical',
    category: 'network',
    title: 'Metadata endpoint access',
    description: '',
    evidence: {
      network: {
        container_ip: '10.99.0.5',
        protocol: 'tcp',
        src_ip: '10.99.0.5',
        dst_ip: dst,
        dst_port: 80,
        reason: '',
      },
    },
  };
}

describe('response policy', () => {
  it('maps levels to actions', () => {
    const running = { paused: false };
    expect(decideAction('info', ON, running)).toBe('logged');
    expect(decideAction('warning', ON, running)).toBe('alerted');
    expect(decideAction('high', ON, running)).toBe('paused');
    expect(decideAction('critical', ON, running)).toBe('killed');
    expect(decideAction('high', OFF, running)).toBe('alerted');
    expect(decideAction('critical', OFF, running)).toBe('alerted');
  });

  it('pauses on critical when killing is off but pausing is on', () => {
    expect(
      decideAction(
        'critical',
        { autoPauseOnHigh: true, autoKillOnCritical: false },
        { paused: false },
      ),
    ).toBe('paused');
  });

  it('does not pause an already paused container again', () => {
    expect(decideAction('high', ON, { paused: true })).toBe('logged');
    expect(decideAction('critical', ON, { paused: true })).toBe('killed');
  });
});

describe('alert folding', () => {
  it('folds repeats within 30 s of the first, then reports afresh', () => {
    const folder = new AlertFolder();
    expect(folder.fold('c1', alert(), 0)).toEqual({ repeat: false });
    expect(folder.fold('c1', alert(), 10_000)).toEqual({ repeat: true, count: 2, firstAtMs: 0 });
    expect(folder.fold('c1', alert(), 29_999)).toEqual({ repeat: true, count: 3, firstAtMs: 0 });
    expect(folder.fold('c1', alert(), 30_000)).toEqual({ repeat: false });
  });

  it('keeps different containers and different evidence apart', () => {
    const folder = new AlertFolder();
    expect(folder.fold('c1', alert(), 0).repeat).toBe(false);
    expect(folder.fold('c2', alert(), 1).repeat).toBe(false);
    expect(folder.fold('c1', alert('100.100.100.200'), 2).repeat).toBe(false);
  });
});

describe('forensic copies', () => {
  it('names copies after the workspace hash, slot and time, outside the container pattern', () => {
    const name = forensicCopyName('coi-', { hash: 'ab12cd34', slot: 2 }, 1_763_900_000_123);
    expect(name).toBe('coi-forensics-ab12cd34-2-1763900000');
    expect(parseContainerName(name, 'coi-')).toBeUndefined();
    expect(parseForensicCopyName(name, 'coi-')).toEqual({
      hash: 'ab12cd34',
      slot: 2,
      createdAtMs: 1_763_900_000_000,
    });
    expect(parseForensicCopyName(name, 'coi-test-x-')).toBeUndefined();
    expect(parseForensicCopyName('coi-ab12cd34-2', 'coi-')).toBeUndefined();
  });

  it('prunes the oldest copies of the same workspace to keep at most 3', () => {
    const copies = [
      { name: 'a-forensics-1', workspace: '/w/a', createdAtMs: 1000 },
      { name: 'a-forensics-3', workspace: '/w/a', createdAtMs: 3000 },
      { name: 'a-forensics-2', workspace: '/w/a', createdAtMs: 2000 },
      { name: 'a-forensics-4', workspace: '/w/a', createdAtMs: 4000 },
      { name: 'b-forensics-1', workspace: '/w/b', createdAtMs: 500 },
    ];
    expect(planForensicPrune(copies, '/w/a')).toEqual(['a-forensics-1', 'a-forensics-2']);
    expect(planForensicPrune(copies, '/w/b')).toEqual([]);
    expect(planForensicPrune([], '/w/a')).toEqual([]);
  });
});
