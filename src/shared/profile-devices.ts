/** Where an Incus profile puts a container: the pool of its root disk and its NIC's network. */
export interface ProfileTargets {
  pool?: string;
  bridge?: string;
}

/** Reads the root disk's pool and the first NIC's network from a profile's devices. */
export function profileTargets(devices: Record<string, Record<string, string>>): ProfileTargets {
  const all = Object.values(devices);
  return {
    pool: all.find((d) => d.type === 'disk' && d.path === '/')?.pool,
    bridge: all.find((d) => d.type === 'nic')?.network,
  };
}
