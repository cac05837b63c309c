import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  idmappedMountpoint,
  makeMountpoint,
  mountIdmappedWorkspace,
  removeMountpoint,
} from '../../../../../src/core/session/launch/idmapped-workspace.js';
import { Incus } from '../../../../../src/incus/index.js';
import { launchTestContainer } from '../../../../helpers/testbed.js';

/**
 * coi's own idmapped mount of a workspace, in a container with a map of its own
 * (`security.idmap.isolated`): the owner, root or a six-digit uid, is the code user (1000) inside,
 * both ways, also when Incus alone starts it again.
 */

let incus: Incus;
let root: string;

beforeAll(() => {
  incus = Incus.local();
  root = mkdtempSync(join(tmpdir(), 'coi-idmapped-'));
});

afterAll(async () => {
  await incus?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('mountIdmappedWorkspace', () => {
  for (const owner of [0, 123456]) {
    it(`maps a workspace owned by ${owner} onto the code user of an isolated container`, async () => {
      const workspace = join(root, `ws-${owner}`);
      const mountpoint = idmappedMountpoint(`c-${owner}`, join(root, 'idmapped'));
      writeFileSync(join(mkdirOwned(workspace, owner), 'host-file'), 'host\n', { mode: 0o644 });
      chownSync(join(workspace, 'host-file'), owner, owner);
      await makeMountpoint(mountpoint);
      const name = await launchTestContainer(`idmapped-${owner}`, {
        start: false,
        config: { 'security.idmap.isolated': 'true' },
        devices: { workspace: { type: 'disk', source: mountpoint, path: '/workspace' } },
      });
      await mountIdmappedWorkspace(incus, name, {
        workspace,
        mountpoint,
        owner: { uid: owner, gid: owner },
        codeUid: 1000,
      });
      await (await incus.instances.start(name)).wait();

      const r = await incus.exec.run(
        name,
        [
          'sh',
          '-c',
          'stat -c "%u:%g %a" /workspace/host-file && echo inside >> /workspace/host-file && mkdir /workspace/made',
        ],
        { user: 1000, group: 1000 },
      );
      expect(r.exitCode, r.stderr.toString()).toBe(0);
      expect(r.stdout.toString()).toBe('1000:1000 644\n');
      expect(readFileSync(join(workspace, 'host-file'), 'utf8')).toBe('host\ninside\n');
      const made = statSync(join(workspace, 'made'));
      expect([made.uid, made.gid]).toEqual([owner, owner]);

      // Stopped and started again by Incus alone (as saving a session does), it keeps the map.
      await (await incus.instances.stop(name, { force: true })).wait();
      await (await incus.instances.start(name)).wait();
      const again = await incus.exec.run(name, ['stat', '-c', '%u', '/workspace/made'], {
        user: 1000,
        group: 1000,
      });
      expect(again.stdout.toString()).toBe('1000\n');

      await (await incus.instances.stop(name, { force: true })).wait();
      await removeMountpoint(mountpoint);
      expect(existsSync(mountpoint)).toBe(false);
    });
  }
});

function mkdirOwned(dir: string, uid: number): string {
  mkdirSync(dir);
  chownSync(dir, uid, uid);
  return dir;
}
