import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { intoIdmappedMount } from '../../../../../src/core/session/launch/idmapped-overlays.js';
import { overlayDevices } from '../../../../../src/core/session/overlay-devices.js';

const WS = '/srv/project';
const MOUNT = '/run/coi/idmapped/coi-x-1';
const CODE_HOST = { uid: 1001000, gid: 1001000 };

let coiDir: string;

beforeEach(() => {
  coiDir = mkdtempSync(join(tmpdir(), 'coi-overlays-'));
});

afterEach(() => {
  rmSync(coiDir, { recursive: true, force: true });
});

/** The overlays as the container is created with them over coi's idmapped mount. */
function created() {
  const masks = join(coiDir, 'masks/0.0');
  return overlayDevices(
    WS,
    { kind: 'owner-to-code' },
    {
      protectedPaths: ['.vscode'],
      writablePaths: ['.vscode/settings.json'],
      secretMasks: [
        { rel: '.env', source: `${masks}/empty-file` },
        { rel: 'secrets', source: `${masks}/empty-dir` },
      ],
      gitdirMounts: [
        { source: '/srv/main/.git', path: '/srv/main/.git', readonly: false },
        { source: '/srv/main/.git/hooks', path: '/srv/main/.git/hooks', readonly: true },
      ],
    },
  );
}

const target = () => ({
  trees: [
    { source: WS, mountpoint: MOUNT },
    { source: '/srv/main/.git', mountpoint: `${MOUNT}.git` },
  ],
  coiDir,
  codeHost: CODE_HOST,
});

describe('intoIdmappedMount', () => {
  it('binds the overlays from the idmapped mounts, unshifted like the workspace', async () => {
    expect(created()['writable-0']?.shift).toBe('true');
    const devices = await intoIdmappedMount(created(), target());
    expect(devices['protect-0']).toEqual({
      type: 'disk',
      source: `${MOUNT}/.vscode`,
      path: '/workspace/.vscode',
      readonly: 'true',
    });
    expect(devices['writable-0']).toEqual({
      type: 'disk',
      source: `${MOUNT}/.vscode/settings.json`,
      path: '/workspace/.vscode/settings.json',
    });
    // The worktree's repository git directory comes from its own idmapped mount.
    expect(devices['gitdir-0']).toEqual({
      type: 'disk',
      source: `${MOUNT}.git`,
      path: '/srv/main/.git',
    });
    expect(devices['gitdir-1']).toEqual({
      type: 'disk',
      source: `${MOUNT}.git/hooks`,
      path: '/srv/main/.git/hooks',
      readonly: 'true',
    });
  });

  it("gives masks of the same kind, owned by the code user's host ids and unshifted", async () => {
    const devices = await intoIdmappedMount(created(), target());
    const masks = join(coiDir, 'masks/1001000.1001000');
    expect(devices['secret-0']).toEqual({
      type: 'disk',
      source: `${masks}/empty-file`,
      path: '/workspace/.env',
      readonly: 'true',
    });
    expect(devices['secret-1']).toEqual({
      type: 'disk',
      source: `${masks}/empty-dir`,
      path: '/workspace/secrets',
      readonly: 'true',
    });
    const owned = statSync(`${masks}/empty-file`);
    expect([owned.uid, owned.gid, owned.size]).toEqual([1001000, 1001000, 0]);
  });
});
