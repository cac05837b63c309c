import type { IncusClient } from '../../incus/client.js';
import type { Instance, InstanceFull } from '../../incus/instance-types.js';
import { withSlotLock } from '../../core/session/slot-lock.js';
import { inCidr, ipv4ToNumber, isIpv4, isIpv4Cidr } from '../ipv4.js';

interface NetworkLease {
  address: string;
  type: string;
}

/**
 * Every IPv4 an existing instance holds or has pinned (`ipv4.address` on a NIC), running or not:
 * the live set for `NetworkGuard.reconcile`.
 */
export async function instanceAddresses(client: IncusClient): Promise<Set<string>> {
  const instances = await client.get<InstanceFull[]>('/1.0/instances', { recursion: 2 });
  const addresses = new Set<string>();
  for (const instance of instances) {
    for (const ip of pinnedAddresses(instance)) addresses.add(ip);
    for (const nic of Object.values(instance.state?.network ?? {}))
      for (const a of nic.addresses) if (a.family === 'inet') addresses.add(a.address);
  }
  return addresses;
}

/** The `ipv4.address` pinned on an instance's NICs (profiles applied). */
export function pinnedAddresses(instance: Pick<Instance, 'expanded_devices'>): string[] {
  return Object.values(instance.expanded_devices ?? {})
    .filter((d) => d.type === 'nic' && d['ipv4.address'] && isIpv4(d['ipv4.address']))
    .map((d) => d['ipv4.address']!);
}

/**
 * Picks an IPv4 on `bridge` that no instance holds, pins or leases, and runs `create` with it while
 * holding a host-wide lock, so two launches never pick the same one. Incus accepts two instances
 * with the same pinned address and then refuses to start either ("already defined on another
 * NIC"), so `create` must create the instance (with `ipv4.address` on its NIC) before it returns.
 */
export async function withFreeAddress<T>(
  client: IncusClient,
  bridge: string,
  lockDir: string,
  create: (ip: string) => Promise<T>,
): Promise<T> {
  return withSlotLock(lockDir, `ipv4-${bridge}`, {}, async () => {
    const network = await client.get<{ config: Record<string, string> }>(
      `/1.0/networks/${encodeURIComponent(bridge)}`,
    );
    const cidr = network.config['ipv4.address'] ?? '';
    if (!isIpv4Cidr(cidr) || !cidr.includes('/'))
      throw new Error(
        `bridge ${bridge} has no IPv4 subnet (ipv4.address is "${cidr}"); coi pins each ` +
          'container to an address in it — set one with `incus network set`',
      );
    const leases = await client.get<NetworkLease[]>(
      `/1.0/networks/${encodeURIComponent(bridge)}/leases`,
    );
    const used = await instanceAddresses(client);
    for (const lease of leases) used.add(lease.address);
    return create(pickFree(cidr, used));
  });
}

/**
 * The highest free host address of `gatewayCidr` (`a.b.c.d/len`, the bridge's own address). From
 * the top down so pinned addresses stay apart from the hand-picked ones people tend to use low.
 */
export function pickFree(gatewayCidr: string, used: ReadonlySet<string>): string {
  const [gateway = '', lenText = '32'] = gatewayCidr.split('/');
  const size = 2 ** (32 - Number(lenText));
  const network = ipv4ToNumber(gateway) - (ipv4ToNumber(gateway) % size);
  for (let n = network + size - 2; n > network; n -= 1) {
    const ip = numberToIpv4(n);
    if (ip !== gateway && !used.has(ip) && inCidr(ip, gatewayCidr)) return ip;
  }
  throw new Error(
    `no free IPv4 address left in ${gatewayCidr}: every address is held or pinned by an instance; ` +
      'delete unused containers (`coi clean`) or give the bridge a larger subnet',
  );
}

function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
