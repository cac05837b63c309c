import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstancesService, NetworksService } from '../../incus/interfaces.js';
import { pinnedAddresses } from '../../shared/instance-network.js';
import { inCidr, ipv4ToNumber, isIpv4, isIpv4Cidr } from '../../shared/ipv4.js';
import { withLockFile } from '../../shared/lock-file.js';

/** The parts of the Incus API that address bookkeeping reads (and a lost claim deletes). */
export interface AddressSources {
  instances: Pick<InstancesService, 'listFull' | 'delete'>;
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
 * The addresses the local daemon's dnsmasq has leased on `bridge` (its leases file), none when
 * there is no such file (a remote daemon, another INCUS_DIR). Incus lists only the leases of
 * existing instances; a lease that outlived its instance (a DHCP release lost at delete, seen
 * under load) still holds the address for its hour, and dnsmasq will not give it to a new
 * container pinned to it: that address is not free.
 */
export async function dnsmasqLeases(
  bridge: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  const file = join(env.INCUS_DIR || '/var/lib/incus', 'networks', bridge, 'dnsmasq.leases');
  const text = await readFile(file, 'utf8').catch(() => '');
  // "<expiry> <mac> <ip> <hostname> <client id>" per line.
  return text.split('\n').flatMap((line) => {
    const address = line.split(' ')[2] ?? '';
    return isIpv4(address) ? [address] : [];
  });
}

/** Claims lost to another launch before one is given up (each costs a create and a delete). */
const MAX_CLAIMS = 20;

/**
 * Picks an IPv4 on `bridge` that no instance holds, pins or leases, and runs `create` with it,
 * which must create the stopped instance `instance` with `ipv4.address` on its NIC before it
 * returns. Incus accepts two instances with the same pinned address and then refuses to start
 * either ("already defined on another NIC"), so each claim is checked once its instance exists:
 * of the instances pinning the address, the first created keeps it, and a later one is deleted
 * and created again on another address. The caller registers the instance's deletion once this
 * returns: a claim that fails here deletes it. The lock under `lockDir` (~/.coi/locks) only spares the
 * launches of one home that churn; the check is what keeps launches from other homes, users or
 * hosts of the same daemon apart.
 */
export async function withFreeAddress<T>(
  incus: AddressSources,
  bridge: string,
  lockDir: string,
  instance: string,
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
    for (let claim = 1; ; claim += 1) {
      const [leases, leasedHere, used] = await Promise.all([
        incus.networks.leases(bridge),
        dnsmasqLeases(bridge),
        instanceAddresses(incus),
      ]);
      for (const lease of leases) used.add(lease.address);
      for (const address of leasedHere) used.add(address);
      const ip = pickFree(cidr, used);
      const created = await create(ip);
      const owner = await addressOwner(incus, ip, instance).catch(async (err: unknown) => {
        await (await incus.instances.delete(instance)).wait();
        throw err;
      });
      if (owner === instance) return created;
      await (await incus.instances.delete(instance)).wait();
      if (claim === MAX_CLAIMS)
        throw new Error(
          `${MAX_CLAIMS} addresses on ${bridge} were taken by other launches (the last, ${ip}, by ` +
            `${owner}) as soon as ${instance} pinned them; try again once they are under way`,
        );
    }
  });
}

/**
 * Of the instances pinning `ip`, the one created first (ties by name): the same answer for every
 * launch that asks, whichever of them asks first. `mine` missing from the listing (deleted
 * meanwhile) has nothing to share it with.
 */
async function addressOwner(
  incus: Pick<AddressSources, 'instances'>,
  ip: string,
  mine: string,
): Promise<string> {
  const holders = (await incus.instances.listFull())
    .filter((i) => pinnedAddresses(i).includes(ip))
    .map((i) => ({ name: i.name, at: sortableTime(i.created_at) }));
  if (!holders.some((h) => h.name === mine)) return mine;
  holders.sort((a, b) => (a.at === b.at ? a.name.localeCompare(b.name) : a.at < b.at ? -1 : 1));
  return holders[0]!.name;
}

/** Incus's RFC 3339 time with its fraction padded to nanoseconds (Go trims trailing zeros). */
function sortableTime(time: string): string {
  const match = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!match) return time;
  return `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}${match[3]}`;
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
