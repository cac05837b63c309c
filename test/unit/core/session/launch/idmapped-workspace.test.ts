import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  hostIdOf,
  idmappedMountpoint,
  pruneMountpoints,
  gitdirMountpoint,
} from '../../../../../src/core/session/launch/idmapped-workspace.js';

const DEFAULT_MAP = JSON.stringify([
  { Isuid: true, Isgid: false, Hostid: 1000000, Nsid: 0, Maprange: 1000000000 },
  { Isuid: false, Isgid: true, Hostid: 1000000, Nsid: 0, Maprange: 1000000000 },
]);

/** What `security.idmap.isolated` gives: a map of its own, split around a raw.idmap entry. */
const ISOLATED_MAP = JSON.stringify([
  { Isuid: true, Isgid: false, Hostid: 1065536, Nsid: 0, Maprange: 1000 },
  { Isuid: true, Isgid: true, Hostid: 5000, Nsid: 1000, Maprange: 1 },
  { Isuid: true, Isgid: false, Hostid: 1066537, Nsid: 1001, Maprange: 64535 },
  { Isuid: false, Isgid: true, Hostid: 1131072, Nsid: 0, Maprange: 1000 },
]);

describe('hostIdOf', () => {
  it('finds the host id a container id runs as, uid and gid apart', () => {
    expect(hostIdOf(DEFAULT_MAP, 1000, 'uid')).toBe(1001000);
    expect(hostIdOf(DEFAULT_MAP, 0, 'gid')).toBe(1000000);
    expect(hostIdOf(ISOLATED_MAP, 1000, 'uid')).toBe(5000);
    expect(hostIdOf(ISOLATED_MAP, 1000, 'gid')).toBe(5000);
    expect(hostIdOf(ISOLATED_MAP, 1001, 'uid')).toBe(1066537);
    expect(hostIdOf(ISOLATED_MAP, 999, 'gid')).toBe(1132071);
  });

  it('is undefined for an id outside the map', () => {
    expect(hostIdOf(ISOLATED_MAP, 70000, 'uid')).toBeUndefined();
    expect(hostIdOf(ISOLATED_MAP, 1001, 'gid')).toBeUndefined();
  });
});

describe('idmappedMountpoint', () => {
  it('is per container on the host’s tmpfs, outside ~/.coi', () => {
    expect(idmappedMountpoint('coi-abcdef12-1')).toBe('/run/coi/idmapped/coi-abcdef12-1');
  });
});

describe('pruneMountpoints', () => {
  it('removes the old mountpoints of containers that are gone, never a live or a new one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coi-prune-'));
    try {
      const hourAgo = new Date(Date.now() - 3_600_000);
      // A worktree's git directory is mounted beside the workspace, and goes with it.
      const all = ['gone', 'gone.git', 'live', 'live.git', 'new'];
      for (const name of all) mkdirSync(join(dir, name), { recursive: true });
      for (const name of all.slice(0, 4)) utimesSync(join(dir, name), hourAgo, hourAgo);
      expect(gitdirMountpoint(idmappedMountpoint('live', dir))).toBe(join(dir, 'live.git'));
      await pruneMountpoints(new Set(['live']), dir);
      expect(readdirSync(dir).sort()).toEqual(['live', 'live.git', 'new']);
      await pruneMountpoints(new Set(), join(dir, 'nothing-here'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
