import type { IncusApi } from '../../incus/index.js';
import type { Instance } from '../../incus/instance-types.js';
import { DEFAULT_RESOLVER_PORT } from '../../security/dns/resolver.js';
import {
  applyBatch,
  instanceAddresses,
  listCoiTable,
  NetworkGuard,
} from '../../security/network/index.js';
import { bridgeGateway, instanceBridge, pinnedAddresses } from '../../shared/instance-network.js';
import { profileTargets } from '../../shared/profile-devices.js';
import {
  parseTableListing,
  planReconcile,
  renderRemoval,
  type HostNetwork,
} from '../../security/nft/index.js';

/** The bridge's host side: gateway address and where coi's allowlist resolver listens. */
async function hostNetwork(incus: IncusApi, bridge: string): Promise<HostNetwork> {
  const network = await incus.networks.get(bridge);
  const gateway = bridgeGateway(network.config);
  return {
    bridge,
    gateway,
    resolver: { address: gateway, port: DEFAULT_RESOLVER_PORT },
    egressProxy: true,
  };
}

/**
 * The bridge of the default profile's NIC and its gateway, which coi's rules key on; with
 * `egressProxy` for the daemon that runs coi's egress proxy there.
 */
export async function defaultHostNetwork(
  incus: IncusApi,
  extra: Pick<HostNetwork, 'egressProxy'> = {},
): Promise<HostNetwork | undefined> {
  const { bridge } = profileTargets((await incus.profiles.get('default')).devices);
  if (!bridge) return undefined;
  const gateway = bridgeGateway((await incus.networks.get(bridge)).config);
  return gateway ? { bridge, gateway, ...extra } : undefined;
}

/**
 * A guard with coi's table in place and the rules of containers that no longer exist removed:
 * every launch starts by reconciling, so nothing a crashed session left behind accumulates.
 */
export async function openGuard(incus: IncusApi, bridge: string): Promise<NetworkGuard> {
  const guard = new NetworkGuard(await hostNetwork(incus, bridge));
  await guard.ensureBase();
  await guard.reconcile(() => instanceAddresses(incus));
  return guard;
}

/** Removes a container's rules, by the address pinned on its NIC; nothing pinned, nothing to do. */
export async function releaseNetwork(
  incus: IncusApi,
  instance: Pick<Instance, 'expanded_devices'>,
): Promise<void> {
  const bridge = instanceBridge(instance);
  const addresses = pinnedAddresses(instance);
  if (!bridge || addresses.length === 0) return;
  const guard = new NetworkGuard(await hostNetwork(incus, bridge));
  for (const ip of addresses) await guard.release(ip);
}

/**
 * Addresses that own objects in coi's nft table (chains, sets, map elements) although no instance
 * holds or pins them: leftovers of containers that are gone (`coi clean`).
 */
export async function firewallOrphans(incus: Pick<IncusApi, 'instances'>): Promise<string[]> {
  const listing = await listCoiTable();
  if (listing === undefined) return [];
  return planReconcile(parseTableListing(listing), await instanceAddresses(incus)).stale;
}

/**
 * Removes the objects of those addresses, in one batch, that are still orphaned (a launch may have
 * taken one since they were listed). Returns the addresses removed.
 */
export async function removeFirewallOrphans(
  incus: Pick<IncusApi, 'instances'>,
  addresses: string[],
): Promise<string[]> {
  const still = new Set(await firewallOrphans(incus));
  const removed = addresses.filter((ip) => still.has(ip));
  await applyBatch(removed.map(renderRemoval).join(''));
  return removed;
}
