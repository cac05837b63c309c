import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { repointOverlays } from '../../../../../src/core/session/launch/idmapped-overlays.js';
import { FakeIncus } from '../../../../helpers/fake-incus.js';

const WS = '/srv/project';
const MOUNT = '/run/coi/idmapped/coi-x-1';
const CODE_HOST = { uid: 1001000, gid: 1001000 };

let coiDir: string;
let incus: FakeIncus;

beforeEach(() => {
  coiDir = mkdtempSync(join(tmpdir(), 'coi-overlays-'));
  const masks = join(coiDir, 'masks/0.0');
  incus = new FakeIncus([
    {
      name: 'coi-x-1',
      devices: {
        workspace: { type: 'disk', source: MOUNT, path: '/workspace' },
        'protect-0': {
          type: 'disk',
          source: `${WS}/.vscode`,
          path: '/workspace/.vscode',
          readonly: 'true',
          shift: 'true',
        },
        'writable-0': {
          type: 'disk',
          source: `${WS}/.vscode/settings.json`,
          path: '/workspace/.vscode/settings.json',
          shift: 'true',
        },
        'secret-0': {
          type: 'disk',
          source: `${masks}/empty-file`,
          path: '/workspace/.env',
          readonly: 'true',
          shift: 'true',
        },
        'secret-1': {
          type: 'disk',
          source: `${masks}/empty-dir`,
          path: '/workspace/secrets',
          readonly: 'true',
          shift: 'true',
        },
        'mount-0': { type: 'disk', source: `${WS}/data`, path: '/data', shift: 'true' },
      },
    },
  ]);
});

afterEach(() => {
  rmSync(coiDir, { recursive: true, force: true });
});

const target = () => ({ workspace: WS, mountpoint: MOUNT, coiDir, codeHost: CODE_HOST });

describe('repointOverlays', () => {
  it('binds what lies over the workspace from the idmapped mount, unshifted like the workspace', async () => {
    await repointOverlays(incus, 'coi-x-1', target());
    const { devices } = incus.instances.all.get('coi-x-1')!;
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
    // A configured mount is not laid over the workspace: left as it is.
    expect(devices['mount-0']?.source).toBe(`${WS}/data`);
    expect(devices['mount-0']?.shift).toBe('true');
  });

  it("gives masks of the same kind, owned by the code user's host ids and unshifted", async () => {
    await repointOverlays(incus, 'coi-x-1', target());
    const { devices } = incus.instances.all.get('coi-x-1')!;
    const masks = join(coiDir, 'masks/1001000.1001000');
    expect(devices['secret-0']).toEqual({
      type: 'disk',
      source: `${masks}/empty-file`,
      path: '/workspace/.env',
      readonly: 'true',
    });
    expect(devices['secret-1']?.source).toBe(`${masks}/empty-dir`);
    expect(devices['secret-1']?.shift).toBeUndefined();
    const owned = statSync(`${masks}/empty-file`);
    expect([owned.uid, owned.gid, owned.size]).toEqual([1001000, 1001000, 0]);
  });

  it('changes nothing on a start after the first', async () => {
    await repointOverlays(incus, 'coi-x-1', target());
    const patch = vi.spyOn(incus.instances, 'patch');
    await repointOverlays(incus, 'coi-x-1', target());
    expect(patch).not.toHaveBeenCalled();
  });
});
