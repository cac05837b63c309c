import type { DeviceMap } from '../../../incus/instance-types.js';
import { OVERLAY_DEVICE } from '../overlay-devices.js';
import { maskFor, type MaskOwner } from '../secret-masks.js';

/** A host tree and coi's idmapped mount of it. */
export interface IdmappedTree {
  source: string;
  mountpoint: string;
}

export interface OverlayTarget {
  /** The workspace, and a linked worktree's repository git directory when there is one. */
  trees: IdmappedTree[];
  coiDir: string;
  /** The host ids the code user runs as: the owner's ids as the idmapped mounts show them. */
  codeHost: MaskOwner;
}

/**
 * The overlays as coi's idmapped mounts (`owner-to-code`) need them: bound from those mounts and
 * unshifted like the workspace device. A carve-out, or the worktree's git directory, from the
 * host tree itself would be root's inside, not the code user's; and mounts of one kind are laid
 * in path order, so each lands over the workspace and carve-outs over their protected directory.
 * Masks are owned by the code user's host ids for the same reason. Only once the mounts are made
 * do these sources exist.
 */
export async function intoIdmappedMount(
  devices: DeviceMap,
  target: OverlayTarget,
): Promise<DeviceMap> {
  const moved: DeviceMap = {};
  for (const [name, device] of Object.entries(devices)) {
    if (!OVERLAY_DEVICE.test(name) || device.source === undefined) {
      moved[name] = device;
      continue;
    }
    const { shift: _shift, ...unshifted } = device;
    const source = name.startsWith('secret-')
      ? await maskFor(device.source, target.coiDir, target.codeHost)
      : inMount(device.source, target.trees);
    moved[name] = { ...unshifted, source };
  }
  return moved;
}

function inMount(source: string, trees: IdmappedTree[]): string {
  const tree = trees.find((t) => source === t.source || source.startsWith(`${t.source}/`));
  return tree ? `${tree.mountpoint}${source.slice(tree.source.length)}` : source;
}
