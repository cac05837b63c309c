import { describe, expect, it } from 'vitest';
import { autoSnapshotName, checkSnapshotName } from '../../../src/core/snapshot/snapshots.js';

describe('snapshot names', () => {
  it('auto-names snap-YYYYMMDD-HHMMSS in UTC and rejects odd names', () => {
    expect(autoSnapshotName(new Date('2026-03-04T05:06:07.890Z'))).toBe('snap-20260304-050607');
    expect(() => checkSnapshotName('ok-name_1.2')).not.toThrow();
    expect(() => checkSnapshotName('../x')).toThrow(/not valid/);
    expect(() => checkSnapshotName('a/b')).toThrow(/not valid/);
  });
});
