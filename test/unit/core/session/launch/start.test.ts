import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HostLocks } from '../../../../../src/core/session/host-locks.js';
import { planLaunch, type LaunchPlan } from '../../../../../src/core/session/launch/plan.js';
import { startSessionContainer } from '../../../../../src/core/session/launch/start.js';
import { IncusOperationError } from '../../../../../src/incus/errors.js';
import { COI_KEYS } from '../../../../../src/shared/instance-keys.js';
import { containerName } from '../../../../../src/shared/naming.js';
import { Reverter } from '../../../../../src/shared/revert.js';
import { FakeIncus } from '../../../../helpers/fake-incus.js';
import { PREFIX, WORKSPACE, facts, launchRequest } from './fixtures.js';

const NAME = containerName(WORKSPACE, 1, PREFIX);
const NO_MOUNTS = { protectedPaths: [] };

let coiDir: string;
let incus: FakeIncus;
let locks: HostLocks;

beforeEach(() => {
  coiDir = mkdtempSync(join(tmpdir(), 'coi-start-'));
  incus = new FakeIncus([
    {
      name: NAME,
      status: 'Stopped',
      config: { [COI_KEYS.persistent]: 'true' },
      devices: { eth0: { type: 'nic', network: 'incusbr0', 'ipv4.address': '10.0.0.9' } },
    },
  ]);
  locks = new HostLocks(join(coiDir, 'locks'));
});

afterEach(() => {
  rmSync(coiDir, { recursive: true, force: true });
});

async function plan(persistent: boolean): Promise<LaunchPlan> {
  const req = launchRequest(incus, coiDir, { container: { persistent } });
  return planLaunch(facts({ instances: await incus.instances.list() }), req);
}

describe('startSessionContainer', () => {
  it('starts a new container, saying so', async () => {
    const steps: string[] = [];
    await startSessionContainer(
      { incus, workspace: WORKSPACE, coiDir, onStep: (s) => steps.push(s) },
      await plan(false),
      NAME,
      NO_MOUNTS,
      locks,
      new Reverter(),
    );
    expect(incus.instances.all.get(NAME)!.status).toBe('Running');
    expect(steps).toEqual([`Starting ${NAME}...`]);
  });

  it('says when it starts a reused persistent container again', async () => {
    const steps: string[] = [];
    const reuse = await plan(true);
    expect(reuse.target.kind).toBe('reuse');
    await startSessionContainer(
      { incus, workspace: WORKSPACE, coiDir, onStep: (s) => steps.push(s) },
      reuse,
      NAME,
      NO_MOUNTS,
      locks,
      new Reverter(),
    );
    expect(steps).toEqual([`Starting persistent container ${NAME}...`]);
  });

  it("lays this launch's overlays on a reused container: a new secret masked, a stale mount gone", async () => {
    const stale = {
      type: 'disk',
      source: '/masks/empty-file',
      path: '/workspace/old.env',
      readonly: 'true',
    };
    await incus.instances.patch(NAME, { devices: { 'secret-0': stale } });
    const mask = { rel: '.env', source: '/masks/empty-file' };
    const mounts = { protectedPaths: ['.coi'], secretMasks: [mask] };
    await startSessionContainer(
      { incus, workspace: WORKSPACE, coiDir },
      await plan(true),
      NAME,
      mounts,
      locks,
      new Reverter(),
    );
    const { devices, status } = incus.instances.all.get(NAME)!;
    expect(status).toBe('Running');
    expect(Object.keys(devices).sort()).toEqual(['eth0', 'protect-0', 'secret-0']);
    expect(devices['secret-0']).toMatchObject({ source: mask.source, path: '/workspace/.env' });
    expect(devices['protect-0']).toMatchObject({ source: `${WORKSPACE}/.coi`, readonly: 'true' });
  });

  it('leaves a container whose overlays are already these alone', async () => {
    const put = vi.spyOn(incus.instances, 'put');
    await startSessionContainer(
      { incus, workspace: WORKSPACE, coiDir },
      await plan(false),
      NAME,
      NO_MOUNTS,
      locks,
      new Reverter(),
    );
    expect(put).not.toHaveBeenCalled();
  });

  it('rolling back stops the container before the host paths it locked are released', async () => {
    const revert = new Reverter();
    const statusAtRelease: string[] = [];
    vi.spyOn(locks, 'release').mockImplementation((container) => {
      statusAtRelease.push(incus.instances.all.get(container)!.status);
      return Promise.resolve(0);
    });
    await startSessionContainer(
      { incus, workspace: WORKSPACE, coiDir },
      await plan(false),
      NAME,
      NO_MOUNTS,
      locks,
      revert,
    );
    expect(await revert.fail()).toEqual([]);
    expect(statusAtRelease).toEqual(['Stopped']);
  });

  it('a start that fails still releases the host paths on rollback', async () => {
    const revert = new Reverter();
    const failed = new IncusOperationError('Failed to start device "eth0"', 400, undefined);
    vi.spyOn(incus.instances, 'start').mockRejectedValueOnce(failed);
    const release = vi.spyOn(locks, 'release');
    await expect(
      startSessionContainer(
        { incus, workspace: WORKSPACE, coiDir },
        await plan(false),
        NAME,
        NO_MOUNTS,
        locks,
        revert,
      ),
    ).rejects.toBe(failed);
    expect(await revert.fail()).toEqual([]);
    expect(release).toHaveBeenCalledWith(NAME);
  });
});
