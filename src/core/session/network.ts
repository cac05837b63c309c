import type { Incus } from '../../incus/index.js';
import type { Instance } from '../../incus/instance-types.js';
import { DEFAULT_RESOLVER_PORT } from '../../security/dns/resolver.js';
import { instanceAddresses, NetworkGuard, pinnedAddresses } from '../../security/network/index.js';
import type { HostNetwork } from '../../security/nft/index.js';

/** The bridge's host side: gateway address and where coi's allowlist resolver listens. */
export async function hostNetwork(incus: Incus, bridge: string): Promise<HostNetwork> {
  const network = await incus.networks.get(bridge);
  const gateway = (network.config['ipv4.address'] ?? '').split('/')[0] ?? '';
  return { bridge, gateway, resolver: { address: gateway, port: DEFAULT_RESOLVER_PORT } };
}

/**
 * A guard with coi's table in place and the rules of containers that no longer exist removed:
 * every launch starts by reconciling, so nothing a crashed session left behind accumulates.
 */
export async function openGuard(incus: Incus, bridge: string): Promise<NetworkGuard> {
  const guard = new NetworkGuard(await hostNetwork(incus, bridge));
  await guard.ensureBase();
  await guard.reconcile(await instanceAddresses(incus.client));
  return guard;
}

/** The bridge of an instance's NIC. */
export function instanceBridge(instance: Pick<Instance, 'expanded_devices'>): string | undefined {
  return Object.values(instance.expanded_devices ?? {}).find((d) => d.type === 'nic')?.network;
}

/** Removes a container's rules, by the address pinned on its NIC; nothing pinned, nothing to do. */
export async function releaseNetwork(
  incus: Incus,
  instance: Pick<Instance, 'expanded_devices'>,
): Promise<void> {
  const bridge = instanceBridge(instance);
  const addresses = pinnedAddresses(instance);
  if (!bridge || addresses.length === 0) return;
  const guard = new NetworkGuard(await hostNetwork(incus, bridge));
  for (const ip of addresses) await guard.release(ip);
}

/** Removes the rules of every container that is gone (`coi clean --orphans`). */
export async function reconcileNetwork(incus: Incus, bridge: string): Promise<string[]> {
  const guard = new NetworkGuard(await hostNetwork(incus, bridge));
  return guard.reconcile(await instanceAddresses(incus.client));
}
