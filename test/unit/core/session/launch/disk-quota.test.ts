import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../../../src/cli/errors.js';
import type { IncusApi } from '../../../../../src/incus/index.js';
import { requireQuotaPool } from '../../../../../src/core/session/launch/disk-quota.js';
import { LaunchError } from '../../../../../src/core/session/launch/launch-error.js';
import { makeHost } from '../../config/fixture.js';

/** An Incus whose every pool uses `driver`; `asked` collects the pools looked up. */
function incusWithDriver(driver: string, asked: string[] = []): IncusApi {
  const storagePools = {
    get: (name: string) => {
      asked.push(name);
      return Promise.resolve({ name, driver });
    },
  };
  return { storagePools } as unknown as IncusApi;
}

function loadedWithSize(size: string) {
  const host = makeHost();
  host.write(join(host.home, '.coi/config.toml'), `[limits.disk]\nsize = "${size}"\n`);
  return host.load();
}

describe('requireQuotaPool', () => {
  it('refuses a root disk size on a dir pool, naming the file, the key and the fix (exit 2)', async () => {
    const error = await requireQuotaPool(
      incusWithDriver('dir'),
      loadedWithSize('10GiB'),
      'slow',
    ).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(LaunchError);
    expect((error as LaunchError).message).toBe(
      '~/.coi/config.toml: limits.disk.size = "10GiB" needs a storage pool that enforces quotas, ' +
        'but the root disk goes to pool "slow", which uses the dir driver: ' +
        'remove limits.disk.size, or set [container] storage_pool to a btrfs, zfs, lvm or ceph pool',
    );
    expect(exitCodeFor(error)).toBe(2);
  });

  it('lets a btrfs pool take the quota', async () => {
    const asked: string[] = [];
    await requireQuotaPool(incusWithDriver('btrfs', asked), loadedWithSize('10GiB'), 'default');
    expect(asked).toEqual(['default']);
  });

  it('does not ask about the pool when no size is set', async () => {
    const asked: string[] = [];
    await requireQuotaPool(incusWithDriver('dir', asked), makeHost().load(), 'default');
    expect(asked).toEqual([]);
  });
});
