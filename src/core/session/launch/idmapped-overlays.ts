import type { DeviceMap } from '../../../incus/instance-types.js';
import { maskFor, type MaskOwner } from '../secret-masks.js';

/** The overlays laid over /workspace itself (see overlayDevices); gitdir mounts lie elsewhere. */
const OVER_WORKSPACE = /^(protect|writable|secret)-\d+$/;

export interface OverlayTarget {
  workspace: string;
  /** coi's idmapped mount of the workspace (the workspace device's source). */
  mountpoint: string;
  coiDir: string;
  /** The host ids the code user runs as: the owner's ids as the idmapped mount shows them. */
  codeHost: MaskOwner;
}

/**
 * The overlays as coi's idmapped mount (`owner-to-code`) needs them: bound from that mount and
 * unshifted like the workspace device. A carve-out from the workspace itself would be root's
 * inside, not the code user's; and mounts of one kind are laid in path order, so each lands over
 * the workspace and carve-outs over their protected directory. Masks are owned by the code user's
 * host ids for the same reason. Only once the mount is made do these sources exist.
 */
export async function intoIdmappedMount(
  devices: DeviceMap,
  target: OverlayTarget,
): Promise<DeviceMap> {
  const moved: DeviceMap = {};
  for (const [name, device] of Object.entries(devices)) {
    if (!OVER_WORKSPACE.test(name) || device.source === undefined) {
      moved[name] = device;
      continue;
    }
    const { shift: _shift, ...unshifted } = device;
    const source = name.startsWith('secret-')
      ? await maskFor(device.source, target.coiDir, target.codeHost)
      : inMount(device.source, target);
    moved[name] = { ...unshifted, source };
  }
  return moved;
}

function inMount(source: string, { workspace, mountpoint }: OverlayTarget): string {
  return source.startsWith(`${workspace}/`)
    ? `${mountpoint}${source.slice(workspace.length)}`
    : source;
}
