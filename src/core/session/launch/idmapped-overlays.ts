import type { IncusApi } from '../../../incus/index.js';
import type { DeviceMap } from '../../../incus/instance-types.js';
import { maskFor, type MaskOwner } from '../secret-masks.js';

/** The devices laid over /workspace (see buildLaunchSpec). */
const OVERLAY = /^(protect|writable|secret)-\d+$/;

export interface OverlayTarget {
  workspace: string;
  /** coi's idmapped mount of the workspace (the workspace device's source). */
  mountpoint: string;
  coiDir: string;
  /** The host ids the code user runs as: the owner's ids as the idmapped mount shows them. */
  codeHost: MaskOwner;
}

/**
 * With coi's idmapped mount (`owner-to-code`), what lies over the workspace is bound from that
 * mount, unshifted like the workspace device: a carve-out from the workspace itself would be
 * root's inside, not the code user's, and mounts of one kind are laid in path order, so each
 * lands over the workspace and carve-outs over their protected directory. Masks are owned by the
 * code user's host ids for the same reason. The container is created with these devices on the
 * workspace itself (the mount's subpaths do not exist before the mount does); each start made
 * by coi repoints them, which is a no-op once done.
 */
export async function repointOverlays(
  incus: IncusApi,
  container: string,
  target: OverlayTarget,
): Promise<void> {
  const { devices } = (await incus.instances.get(container)).value;
  const changed: DeviceMap = {};
  for (const [name, device] of Object.entries(devices)) {
    if (!OVERLAY.test(name) || device.source === undefined) continue;
    const { shift: _shift, ...unshifted } = device;
    const source = name.startsWith('secret-')
      ? await maskFor(device.source, target.coiDir, target.codeHost)
      : inMount(device.source, target);
    if (source !== device.source || device.shift !== undefined)
      changed[name] = { ...unshifted, source };
  }
  if (Object.keys(changed).length > 0) await incus.instances.patch(container, { devices: changed });
}

function inMount(source: string, { workspace, mountpoint }: OverlayTarget): string {
  return source.startsWith(`${workspace}/`)
    ? `${mountpoint}${source.slice(workspace.length)}`
    : source;
}
