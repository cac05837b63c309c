import { describe, expect, it } from 'vitest';
import {
  decideWorkspaceMapping,
  type MappingInput,
} from '../../../../src/core/session/workspace-mapping.js';

const input = (uid: number, over: Partial<MappingInput> = {}): MappingInput => ({
  workspace: '/srv/project',
  owner: { uid, gid: uid },
  codeUid: 1000,
  idmappedMounts: true,
  disableShift: false,
  hostRoot: true,
  ...over,
});

describe('decideWorkspaceMapping', () => {
  it('an ordinary login uid is shifted as it is and the code user takes it', () => {
    for (const uid of [1000, 1001, 4242, 59999]) {
      expect(decideWorkspaceMapping(input(uid))).toEqual({
        mapping: { kind: 'shift' },
        codeUid: uid,
      });
    }
  });

  it('root, system, macOS and six-digit owners go onto the code user through coi’s own mount', () => {
    for (const uid of [0, 501, 999, 60000, 123456]) {
      expect(decideWorkspaceMapping(input(uid))).toEqual({
        mapping: { kind: 'owner-to-code' },
        codeUid: 1000,
      });
    }
  });

  it('without host root only shifting is left, and a root-owned workspace is refused', () => {
    expect(decideWorkspaceMapping(input(501, { hostRoot: false }))).toEqual({
      mapping: { kind: 'shift' },
      codeUid: 501,
    });
    expect(() => decideWorkspaceMapping(input(0, { hostRoot: false }))).toThrow(
      /\/srv\/project is owned by root.*run coi as root, or chown the workspace/,
    );
  });

  it('without idmapped mounts raw.idmap sends the owner (uid and gid) onto the code user', () => {
    expect(decideWorkspaceMapping(input(4242, { idmappedMounts: false }))).toEqual({
      mapping: { kind: 'raw-idmap', rawIdmap: 'both 4242 1000' },
      codeUid: 1000,
    });
    expect(
      decideWorkspaceMapping(input(4242, { disableShift: true, owner: { uid: 4242, gid: 100 } })),
    ).toEqual({
      mapping: { kind: 'raw-idmap', rawIdmap: 'uid 4242 1000\ngid 100 1000' },
      codeUid: 1000,
    });
  });

  it('never maps host root through raw.idmap: a config error that says what to change', () => {
    const refused = () => decideWorkspaceMapping(input(0, { disableShift: true }));
    expect(refused).toThrow(
      /owned by root and \[incus\] disable_shift is set.*unset disable_shift/,
    );
    expect(refused).toThrow(expect.objectContaining({ kind: 'config' }));
    expect(() => decideWorkspaceMapping(input(0, { idmappedMounts: false }))).toThrow(
      /the kernel cannot idmap mounts/,
    );
  });
});
