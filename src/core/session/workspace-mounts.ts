import type { Config } from '../config/index.js';
import type { WorkspaceMounts } from './overlay-devices.js';
import { materialiseProtectedPaths, writableCarveOuts } from './protected-paths.js';
import { findSecretMasks } from './secret-masks.js';
import { linkedGitdirMounts } from './worktree-gitdir.js';

/**
 * What is mounted over the workspace, made ready on the host: secret masks, a linked worktree's
 * git directory, protected paths and carve-outs. The refusals (a secret or gitdir pointing out of
 * the workspace) come before anything is created in it. A path that is both masked and protected
 * or carved out is masked only: two mounts cannot share a path, and the mask is the stricter.
 */
export async function prepareWorkspaceMounts(input: {
  workspace: string;
  coiDir: string;
  config: Config;
  /** The protected path list of the plan. */
  protectedPaths: string[];
  owner: { uid: number; gid: number };
}): Promise<WorkspaceMounts> {
  const { workspace, config, owner } = input;
  const { uid, gid } = owner;
  const secretMasks = await findSecretMasks(
    workspace,
    config.security.secret_paths,
    input.coiDir,
    owner,
  );
  const unmasked = (rel: string) => !secretMasks.some((mask) => mask.rel === rel);
  const gitdirMounts = await linkedGitdirMounts(workspace, input.protectedPaths, uid, gid);
  const protectedPaths = await materialiseProtectedPaths(
    workspace,
    input.protectedPaths.filter(unmasked),
    uid,
    gid,
  );
  const carveOuts = writableCarveOuts(config).filter(unmasked);
  const writablePaths = await materialiseProtectedPaths(workspace, carveOuts, uid, gid);
  return { protectedPaths, secretMasks, gitdirMounts, writablePaths };
}
