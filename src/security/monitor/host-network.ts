import type { Incus } from '../../incus/index.js';
import type { HostNetwork } from '../nft/index.js';

/** The bridge of the default profile's NIC and its gateway address, which coi's rules key on. */
export async function defaultHostNetwork(incus: Incus): Promise<HostNetwork | undefined> {
  const profile = await incus.profiles.get('default');
  const bridge = profile.devices?.eth0?.network;
  if (!bridge) return undefined;
  const gateway = (await incus.networks.get(bridge)).config['ipv4.address']?.split('/')[0];
  return gateway ? { bridge, gateway } : undefined;
}
