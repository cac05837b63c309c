import type { IncusApi } from '../../../incus/index.js';
import type { LoadedConfig } from '../../config/index.js';
import { LaunchError } from './launch-error.js';

/** Drivers whose volumes take no quota: Incus would make the container and ignore the size. */
const NO_QUOTA_DRIVERS = new Set(['dir']);

/** `[limits.disk] size` needs a pool that can enforce it; refused before anything is made. */
export async function requireQuotaPool(
  incus: IncusApi,
  loaded: Pick<LoadedConfig, 'config' | 'origins'>,
  pool: string,
): Promise<void> {
  const { size } = loaded.config.limits.disk;
  if (!size) return;
  const { driver } = await incus.storagePools.get(pool);
  if (!NO_QUOTA_DRIVERS.has(driver)) return;
  const file = loaded.origins['limits.disk.size']?.source ?? 'effective configuration';
  throw new LaunchError(
    `${file}: limits.disk.size = ${JSON.stringify(size)} needs a storage pool that enforces quotas, ` +
      `but the root disk goes to pool "${pool}", which uses the ${driver} driver: ` +
      'remove limits.disk.size, or set [container] storage_pool to a btrfs, zfs, lvm or ceph pool',
    'config',
  );
}
