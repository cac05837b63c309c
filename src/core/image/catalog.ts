import type { IncusApi } from '../../incus/index.js';
import { IncusNotFoundError } from '../../incus/errors.js';
import type { Image } from '../../incus/image-types.js';
import { CoiError } from '../../shared/errors.js';

/** An image as `coi image list` shows it. */
export interface ImageSummary {
  aliases: string[];
  fingerprint: string;
  size: number;
  created_at: string;
  description: string;
  architecture: string;
}

export class ImageOpError extends CoiError {}

function summary(image: Image): ImageSummary {
  return {
    aliases: (image.aliases ?? []).map((a) => a.name).sort(),
    fingerprint: image.fingerprint,
    size: image.size,
    created_at: image.created_at,
    description: image.properties?.description ?? '',
    architecture: image.architecture,
  };
}

/**
 * Local images, newest first. By default only coi's (an alias starting `coi`); `all` lists every
 * image; `prefix` keeps those with an alias starting with it.
 */
export async function listImages(
  incus: IncusApi,
  opts: { all?: boolean; prefix?: string } = {},
): Promise<ImageSummary[]> {
  const wanted = opts.prefix ?? (opts.all ? '' : 'coi');
  return (await incus.images.list())
    .map(summary)
    .filter((i) => wanted === '' || i.aliases.some((a) => a.startsWith(wanted)))
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
}

/** The image behind an alias or a fingerprint (prefix of at least 6 characters). */
export async function findImage(incus: IncusApi, name: string): Promise<Image | undefined> {
  const byAlias = await incus.images.findByAlias(name);
  if (byAlias) return byAlias;
  if (name.length < 6) return undefined;
  const matches = (await incus.images.list()).filter((i) => i.fingerprint.startsWith(name));
  return matches.length === 1 ? matches[0] : undefined;
}

/** The image behind an alias or fingerprint, as Incus reports it; an error when there is none. */
export async function imageInfo(incus: IncusApi, name: string): Promise<Image> {
  const image = await findImage(incus, name);
  if (!image)
    throw new ImageOpError(`no image "${name}" on this host (\`coi image list --all\` shows them)`);
  return image;
}

export async function deleteImage(incus: IncusApi, name: string): Promise<ImageSummary> {
  const image = await imageInfo(incus, name);
  await (await incus.images.delete(image.fingerprint)).wait({ timeoutMs: 300_000 });
  return summary(image);
}

/** Publishes a stopped container as an image under `alias`. */
export async function publishContainer(
  incus: IncusApi,
  container: string,
  alias: string,
  opts: { description?: string; compression?: string } = {},
): Promise<ImageSummary> {
  const { value } = await incus.instances.get(container).catch((err: unknown) => {
    throw err instanceof IncusNotFoundError
      ? new ImageOpError(`container "${container}" does not exist`)
      : err;
  });
  if (value.status !== 'Stopped')
    throw new ImageOpError(
      `${container} is ${value.status.toLowerCase()}: stop it before publishing`,
    );
  if (await incus.images.findByAlias(alias))
    throw new ImageOpError(`an image with alias "${alias}" already exists; delete it first`);
  const done = await (
    await incus.images.publish({
      source: { type: 'instance', name: container },
      aliases: [{ name: alias, description: opts.description ?? '' }],
      properties: { description: opts.description ?? `published from ${container}` },
      ...(opts.compression ? { compression_algorithm: opts.compression } : {}),
    })
  ).wait({ timeoutMs: 1_800_000 });
  const fingerprint = String((done.metadata as { fingerprint?: string } | null)?.fingerprint ?? '');
  return summary(await incus.images.get(fingerprint));
}

/**
 * Keeps the newest `keep` images with an alias starting `prefix` and deletes the rest.
 * Returns the deleted ones.
 */
export async function cleanupImages(
  incus: IncusApi,
  prefix: string,
  keep: number,
): Promise<ImageSummary[]> {
  const matching = await listImages(incus, { prefix });
  const doomed = matching.slice(keep);
  for (const image of doomed)
    await (await incus.images.delete(image.fingerprint)).wait({ timeoutMs: 300_000 });
  return doomed;
}
