import type { IncusApi } from '../../../incus/index.js';
import type { DeviceMap } from '../../../incus/instance-types.js';
import { OVERLAY_DEVICE } from '../overlay-devices.js';

/**
 * Makes the container's overlay devices (masks, protected paths, carve-outs, a worktree's gitdir)
 * exactly `wanted` before it starts: a reused container gets this launch's, so a secret added
 * since it was created is masked and one removed leaves no mount behind. A no-op when they match,
 * as they do on a container just created.
 */
export async function layOverlays(
  incus: IncusApi,
  container: string,
  wanted: DeviceMap,
): Promise<void> {
  const { value } = await incus.instances.get(container);
  const others = Object.entries(value.devices).filter(([name]) => !OVERLAY_DEVICE.test(name));
  const current = Object.keys(value.devices).length - others.length;
  if (current === Object.keys(wanted).length && matches(value.devices, wanted)) return;
  const op = await incus.instances.put(container, {
    architecture: value.architecture,
    config: value.config,
    devices: { ...Object.fromEntries(others), ...wanted },
    ephemeral: value.ephemeral,
    profiles: value.profiles,
    stateful: value.stateful,
    description: value.description,
  });
  await op.wait();
}

function matches(devices: DeviceMap, wanted: DeviceMap): boolean {
  return Object.entries(wanted).every(([name, want]) => {
    const have = devices[name];
    const keys = new Set([...Object.keys(want), ...Object.keys(have ?? {})]);
    return have !== undefined && [...keys].every((k) => have[k] === want[k]);
  });
}
