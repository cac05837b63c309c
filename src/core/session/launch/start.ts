import type { Reverter } from '../../../shared/revert.js';
import { stopContainer } from '../../container/lifecycle.js';
import type { HostLocks } from '../host-locks.js';
import type { LaunchRequest } from '../launch.js';
import {
  detachIdmappedWorkspace,
  idmappedMountpoint,
  mountIdmappedWorkspace,
} from './idmapped-workspace.js';
import { repointOverlays } from './idmapped-overlays.js';
import type { LaunchPlan } from './plan.js';

/**
 * Starts the container. Its undos are the first to run on failure: it is stopped, then the host
 * paths `prepare` locks are released (releasing none is a no-op), and only then do its rules
 * (registered earlier) go, so nothing that confines it is undone while it still runs.
 */
export async function startSessionContainer(
  req: Pick<LaunchRequest, 'incus' | 'onStep' | 'workspace' | 'coiDir'>,
  plan: LaunchPlan,
  container: string,
  locks: HostLocks,
  revert: Reverter,
): Promise<void> {
  revert.add(() => locks.release(container));
  revert.add(() => stopContainer(req.incus, container, { force: true }));
  req.onStep?.(
    plan.target.kind === 'reuse'
      ? `Starting persistent container ${container}...`
      : `Starting ${container}...`,
  );
  if (plan.mapping.kind !== 'owner-to-code') {
    await (await req.incus.instances.start(container)).wait();
    return;
  }
  const mountpoint = idmappedMountpoint(container);
  const { workspace } = req;
  const codeHost = await mountIdmappedWorkspace(req.incus, container, {
    workspace,
    mountpoint,
    owner: plan.owner,
    codeUid: plan.codeUid,
  });
  // The mount stays while the container exists (see idmapped-workspace.ts).
  try {
    await repointOverlays(req.incus, container, {
      workspace,
      mountpoint,
      coiDir: req.coiDir,
      codeHost,
    });
    await (await req.incus.instances.start(container)).wait();
  } catch (err) {
    await detachIdmappedWorkspace(mountpoint);
    throw err;
  }
}
