import type { InstancesService, NetworksService } from '../../incus/interfaces.js';
import { pinnedAddresses } from '../../shared/instance-network.js';
import { inCidr, ipv4ToNumber, isIpv4Cidr } from '../../shared/ipv4.js';
import { withLockFile } from '../../shared/lock-file.js';

/** The parts of the Incus API that address bookkeeping reads. */
export interface AddressSources {
  instances: Pick<InstancesService, 'listFull'>;
  networks: Pick<NetworksService, 'get' | 'leases'>;
}

/**
 * Every IPv4 an existing instance holds or has pinned (`ipv4.address` on a NIC), running or not:
 * the live set for `NetworkGuard.reconcile`.
 */
export async function instanceAddresses(
  incus: Pick<AddressSources, 'instances'>,
): Promise<Set<string>> {
  const instances = await incus.instances.listFull();
  const addresses = new Set<string>();
  for (const instance of instances) {
    for (const ip of pinnedAddresses(instance)) addresses.add(ip);
    for (const nic of Object.values(instance.state?.network ?? {}))
      for (const a of nic.addresses) if (a.family === 'inet') addresses.add(a.address);
  }
  return addresses;
}

/**
 * Picks an IPv4 on `bridge` that no instance holds, pins or leases, and runs `create` with it while
 * holding a host-wide lock, so two launches never pick the same one. Incus accepts two instances
 * with the same pinned address and then refuses to start either ("already defined on another
 * NIC"), so `create` must create the instance (with `ipv4.address` on its NIC) before it returns.
 */
export async function withFreeAddress<T>(
  incus: AddressSources,
  bridge: string,
  lockDir: string,
  create: (ip: string) => Promise<T>,
): Promise<T> {
  return withLockFile(lockDir, `ipv4-${bridge}`, {}, async () => {
    const network = await incus.networks.get(bridge);
    const cidr = network.config['ipv4.address'] ?? '';
    if (!isIpv4Cidr(cidr) || !cidr.includes('/'))
      throw new Error(
        `bridge ${bridge} has no IPv4 subnet (ipv4.address is "${cidr}"); coi pins each ` +
          'container to an address in it — set one with `incus network set`',
      );
    const [leases, used] = await Promise.all([
      incus.networks.leases(bridge),
      instanceAddresses(incus),
    ]);
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
