import { posix } from 'node:path';
import type { DeviceMap } from '../../incus/instance-types.js';
import type { SecretMask } from './secret-masks.js';
import type { WorkspaceMapping } from './workspace-mapping.js';
import type { GitdirMount } from './worktree-gitdir.js';

/** What is laid over the workspace, prepared on the host (see prepareWorkspaceMounts). */
export interface WorkspaceMounts {
  /** Protected paths relative to the workspace, already materialised on the host. */
  protectedPaths: string[];
  /** `[security] secret_paths` matches, each hidden by an empty read-only file or directory. */
  secretMasks?: SecretMask[];
  /** `writable_paths` inside protected directories, materialised on the host. */
  writablePaths?: string[];
  /** A linked worktree's repository git directory, and its protected parts read-only. */
  gitdirMounts?: GitdirMount[];
}

/** The names of the devices overlayDevices makes. */
export const OVERLAY_DEVICE = /^(protect|writable|secret|gitdir)-\d+$/;

/**
 * The disk devices of `mounts`. Shifted as other mounts are: Incus mounts idmapped disks after
 * the others, so an unshifted one over the shifted workspace would end up beneath it. Over coi's
 * idmapped mount they are bound from the workspace itself here (that mount's subpaths do not
 * exist when Incus validates the devices); each start repoints them into it (idmapped-overlays.ts).
 */
export function overlayDevices(
  workspace: string,
  mapping: WorkspaceMapping,
  mounts: WorkspaceMounts,
): DeviceMap {
  const shift = mapping.kind !== 'raw-idmap';
  const disk = (source: string, path: string, readonly: boolean) => ({
    type: 'disk',
    source,
    path,
    ...(readonly ? { readonly: 'true' } : {}),
    ...(shift ? { shift: 'true' } : {}),
  });
  const over = (rel: string) => posix.join('/workspace', rel);
  const devices: DeviceMap = {};
  mounts.protectedPaths.forEach((rel, i) => {
    devices[`protect-${i}`] = disk(posix.join(workspace, rel), over(rel), true);
  });
  mounts.writablePaths?.forEach((rel, i) => {
    devices[`writable-${i}`] = disk(posix.join(workspace, rel), over(rel), false);
  });
  mounts.secretMasks?.forEach((mask, i) => {
    devices[`secret-${i}`] = disk(mask.source, over(mask.rel), true);
  });
  mounts.gitdirMounts?.forEach((mount, i) => {
    devices[`gitdir-${i}`] = disk(mount.source, mount.path, mount.readonly);
  });
  return devices;
}
