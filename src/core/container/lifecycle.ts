import { IncusNotFoundError } from '../../incus/errors.js';
import type { DeviceMap, ImageSource } from '../../incus/instance-types.js';
import type { IncusApi } from '../../incus/interfaces.js';
import { forceDelete } from './force-delete.js';
import { resumeContainer } from './resume.js';
import { startExplained } from './start-explained.js';
import { CoiError } from '../../shared/errors.js';

/** A low-level container operation that could not be done. */
export class ContainerOpError extends CoiError {}

const STOP_TIMEOUT_S = 60;

/** An alias or a (possibly shortened) fingerprint of a local image. */
export async function localImageSource(incus: IncusApi, image: string): Promise<ImageSource> {
  const byAlias = await incus.images.findByAlias(image);
  if (byAlias) return { alias: image };
  const match = (await incus.images.list()).find((i) => i.fingerprint.startsWith(image));
  if (match && image.length >= 6) return { fingerprint: match.fingerprint };
  throw new ContainerOpError(
    `image "${image}" does not exist on this host (\`coi image list --all\` shows them; \`coi build\` makes coi-default)`,
  );
}

/** A root disk on `pool`, which must exist. */
async function rootDiskOn(incus: IncusApi, pool: string): Promise<DeviceMap> {
  if (!(await incus.storagePools.find(pool))) {
    const names = (await incus.storagePools.list()).map((p) => p.name);
    throw new ContainerOpError(
      `--storage: storage pool "${pool}" does not exist (existing: ${names.join(', ') || 'none'})`,
    );
  }
  return { root: { type: 'disk', path: '/', pool } };
}

/**
 * Create, then start (with the start log's reason on failure; a failed start is deleted).
 * `storage` puts the root disk on that pool instead of the default profile's ("" or none: that one).
 */
export async function launchContainer(
  incus: IncusApi,
  image: string,
  name: string,
  opts: { ephemeral?: boolean; storage?: string } = {},
): Promise<void> {
  const devices = opts.storage ? await rootDiskOn(incus, opts.storage) : {};
  const source = await localImageSource(incus, image);
  if (await incus.instances.exists(name))
    throw new ContainerOpError(`a container named "${name}" already exists`);
  await (
    await incus.instances.create({
      name,
      image: source,
      ephemeral: opts.ephemeral ?? false,
      devices,
    })
  ).wait({ timeoutMs: 600_000 });
  try {
    await startExplained(incus, name);
  } catch (err) {
    // The failed start is what to report; a failed cleanup would only hide it.
    await (await forceDelete(incus, name)).wait().catch(() => undefined);
    throw err;
  }
}

async function status(
  incus: { instances: Pick<IncusApi['instances'], 'get'> },
  name: string,
): Promise<string> {
  try {
    return (await incus.instances.get(name)).value.status;
  } catch (err) {
    if (err instanceof IncusNotFoundError)
      throw new ContainerOpError(`container "${name}" does not exist`);
    throw err;
  }
}

/** Starts a stopped container; resumes a frozen one. */
export async function startContainer(
  incus: Pick<IncusApi, 'instances'>,
  name: string,
): Promise<void> {
  const now = await status(incus, name);
  if (now === 'Running') return;
  if (now === 'Frozen') return resumeContainer(incus, name);
  await startExplained(incus, name);
}

export async function stopContainer(
  incus: IncusApi,
  name: string,
  opts: { force?: boolean } = {},
): Promise<void> {
  if ((await status(incus, name)) === 'Stopped') return;
  await (
    await incus.instances.stop(name, {
      force: opts.force,
      timeout: opts.force ? -1 : STOP_TIMEOUT_S,
    })
  ).wait({ timeoutMs: (STOP_TIMEOUT_S + 30) * 1000 });
}

export async function deleteContainer(
  incus: IncusApi,
  name: string,
  opts: { force?: boolean } = {},
): Promise<void> {
  const now = await status(incus, name);
  if (now !== 'Stopped' && !opts.force)
    throw new ContainerOpError(`${name} is ${now.toLowerCase()}: stop it first or use --force`);
  const op = opts.force ? await forceDelete(incus, name) : await incus.instances.delete(name);
  await op.wait({ timeoutMs: 120_000 });
}

export async function isRunning(incus: IncusApi, name: string): Promise<boolean> {
  try {
    return (await incus.instances.get(name)).value.status === 'Running';
  } catch (err) {
    if (err instanceof IncusNotFoundError) return false;
    throw err;
  }
}

/** Adds (or replaces) a disk device mounting host `source` at `path`. */
export async function mountDisk(
  incus: IncusApi,
  name: string,
  device: string,
  source: string,
  path: string,
  opts: { shift: boolean; readonly?: boolean },
): Promise<void> {
  await status(incus, name);
  if (!path.startsWith('/'))
    throw new ContainerOpError(`mount path "${path}" must be absolute (inside the container)`);
  await incus.instances.patch(name, {
    devices: {
      [device]: {
        type: 'disk',
        source,
        path,
        ...(opts.shift ? { shift: 'true' } : {}),
        ...(opts.readonly ? { readonly: 'true' } : {}),
      },
    },
  });
}
