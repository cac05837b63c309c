import { readFileSync } from 'node:fs';
import type { IncusClient } from '../../incus/client.js';
import { NetworksApi } from '../../incus/networks.js';
import { ProfilesApi, type Devices } from '../../incus/profiles.js';
import { StoragePoolsApi } from '../../incus/storage.js';
import { profileTargets, type ProfileTargets } from '../../shared/profile-devices.js';

export interface StepResult {
  name: string;
  status: 'ok' | 'done' | 'warn';
  message: string;
}

const POOL_NAME = 'default';
const BTRFS_POOL_SIZE = '30GiB';

/**
 * A storage pool for the default profile's root disk. btrfs on a loop file launches from an image
 * in about half a second; `dir` unpacks the whole image each time (seconds), so it is the fallback.
 */
export async function ensureStoragePool(
  client: IncusClient,
  rootPool: string | undefined,
): Promise<StepResult> {
  const pools = new StoragePoolsApi(client);
  const existing = await pools.find(rootPool ?? POOL_NAME);
  if (existing) {
    return existing.driver === 'dir'
      ? {
          name: 'storage pool',
          status: 'warn',
          message: `pool "${existing.name}" uses the dir driver: launches are several times slower than on btrfs`,
        }
      : {
          name: 'storage pool',
          status: 'ok',
          message: `pool "${existing.name}" (${existing.driver})`,
        };
  }
  try {
    await pools.create({ name: POOL_NAME, driver: 'btrfs', config: { size: BTRFS_POOL_SIZE } });
    return {
      name: 'storage pool',
      status: 'done',
      message: `created pool "${POOL_NAME}" (btrfs on a ${BTRFS_POOL_SIZE} loop file)`,
    };
  } catch (err) {
    await pools.create({ name: POOL_NAME, driver: 'dir' });
    return {
      name: 'storage pool',
      status: 'warn',
      message: `btrfs pool failed (${(err as Error).message}); created pool "${POOL_NAME}" on the dir driver instead: launches will be slower`,
    };
  }
}

/** Picks a /24 for a new bridge that no host route uses yet. */
export function freeSubnet(routes = readRoutes()): string {
  for (let third = 99; third > 10; third--) {
    const net = `10.${third}.0.0`;
    if (!routes.includes(net)) return `10.${third}.0.1/24`;
  }
  throw new Error('no free 10.x.0.0/24 subnet for the coi bridge; create a managed bridge by hand');
}

function readRoutes(): string[] {
  try {
    return readFileSync('/proc/net/route', 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t')[1])
      .filter((hex): hex is string => !!hex && hex.length === 8)
      .map((hex) => [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.'));
  } catch {
    // No /proc/net/route (not Linux, restricted /proc): no routes to avoid.
    return [];
  }
}

/**
 * A managed bridge with an explicit subnet (auto-detection fails on these hosts). In test mode NAT
 * is off so no container traffic could leave the machine even without the guard table.
 */
export async function ensureBridge(
  client: IncusClient,
  name: string,
  testMode: boolean,
): Promise<StepResult> {
  const networks = new NetworksApi(client);
  const existing = await networks.find(name);
  if (!existing) {
    const subnet = freeSubnet();
    await networks.create({
      name,
      type: 'bridge',
      config: { 'ipv4.address': subnet, 'ipv4.nat': String(!testMode), 'ipv6.address': 'none' },
    });
    return {
      name: 'bridge',
      status: 'done',
      message: `created bridge "${name}" ${subnet}${testMode ? ', NAT off' : ''}`,
    };
  }
  if (testMode && existing.config['ipv4.nat'] !== 'false') {
    await networks.patchConfig(name, { 'ipv4.nat': 'false' });
    return {
      name: 'bridge',
      status: 'done',
      message: `bridge "${name}": NAT turned off for the test bed`,
    };
  }
  return {
    name: 'bridge',
    status: 'ok',
    message: `bridge "${name}" ${existing.config['ipv4.address'] ?? ''}`.trim(),
  };
}

/** The default profile's root disk and eth0 NIC, added where missing (existing ones are kept). */
export async function ensureDefaultProfile(
  client: IncusClient,
  pool: string,
  bridge: string,
): Promise<StepResult> {
  const profiles = new ProfilesApi(client);
  const profile = await profiles.get('default');
  const devices: Devices = { ...profile.devices };
  const added: string[] = [];
  if (!Object.values(devices).some((d) => d.type === 'disk' && d.path === '/')) {
    devices.root = { type: 'disk', path: '/', pool };
    added.push('root');
  }
  if (!Object.values(devices).some((d) => d.type === 'nic')) {
    devices.eth0 = { type: 'nic', network: bridge, name: 'eth0' };
    added.push('eth0');
  }
  if (added.length === 0)
    return { name: 'default profile', status: 'ok', message: 'root disk and NIC present' };
  await profiles.put(
    'default',
    { description: profile.description, config: profile.config, devices },
    profile.etag,
  );
  return { name: 'default profile', status: 'done', message: `added ${added.join(' and ')}` };
}

/** What the default profile already points at, if anything. */
export async function defaultProfileTargets(client: IncusClient): Promise<ProfileTargets> {
  return profileTargets((await new ProfilesApi(client).get('default')).devices);
}
