import type { Reverter } from '../../../shared/revert.js';
import { stopContainer } from '../../container/lifecycle.js';
import { startExplained } from '../../container/start-explained.js';
import type { HostLocks } from '../host-locks.js';
import type { LaunchRequest } from '../launch.js';
import {
  detachIdmappedWorkspace,
  gitdirMountpoint,
  idmappedMountpoint,
  mountIdmappedWorkspace,
} from './idmapped-workspace.js';
import { overlayDevices, type WorkspaceMounts } from '../overlay-devices.js';
import { intoIdmappedMount } from './idmapped-overlays.js';
import { layOverlays } from './lay-overlays.js';
import type { LaunchPlan } from './plan.js';

/**
 * Lays this launch's overlays over the workspace (see layOverlays) and starts the container. Its
 * undos are the first to run on failure: it is stopped, then the host paths `prepare` locks are
 * released (releasing none is a no-op), and only then do its rules (registered earlier) go, so
 * nothing that confines it is undone while it still runs.
 */
export async function startSessionContainer(
  req: Pick<LaunchRequest, 'incus' | 'onStep' | 'workspace' | 'coiDir'>,
  plan: LaunchPlan,
  container: string,
  mounts: WorkspaceMounts,
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
  const { workspace } = req;
  const overlays = overlayDevices(workspace, plan.mapping, mounts);
  if (plan.mapping.kind !== 'owner-to-code') {
    await layOverlays(req.incus, container, overlays);
    await startExplained(req.incus, container);
    return;
  }
  const mountpoint = idmappedMountpoint(container);
  const gitdir = mounts.gitdirMounts?.find((m) => !m.readonly)?.source;
  const trees = [
    { source: workspace, mountpoint },
    ...(gitdir ? [{ source: gitdir, mountpoint: gitdirMountpoint(mountpoint) }] : []),
  ];
  const codeHost = await mountIdmappedWorkspace(req.incus, container, {
    workspace,
    mountpoint,
    ...(gitdir ? { gitdir } : {}),
    owner: plan.owner,
    codeUid: plan.codeUid,
  });
  // The mounts stay while the container exists (see idmapped-workspace.ts).
  try {
    const target = { trees, coiDir: req.coiDir, codeHost };
    await layOverlays(req.incus, container, await intoIdmappedMount(overlays, target));
    await startExplained(req.incus, container);
  } catch (err) {
    for (const tree of trees) await detachIdmappedWorkspace(tree.mountpoint);
    throw err;
  }
}
