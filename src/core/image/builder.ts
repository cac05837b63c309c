import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IncusClient } from '../../incus/client.js';
import { ImagesApi } from '../../incus/images.js';
import { mirrorFor } from '../host/apt-sources.js';
import { openLog, run } from '../../shared/run.js';
import type { Progress } from '../progress.js';
import {
  baseImageAlias,
  baseImageRecipe,
  recipeHash,
  type BaseImageRecipe,
  type ImageRecipe,
} from './recipe.js';
import { aptInstall, chrootShell, copyRecipeFiles, npmInstall, tarCompression } from './rootfs.js';

export interface BuildBaseImageOptions {
  client: IncusClient;
  progress: Progress;
  recipe?: BaseImageRecipe;
  /** Where the rootfs is assembled (needs ~400 MB); removed afterwards. */
  workRoot?: string;
  /** The build log; its path is shown to the user. */
  logPath: string;
  /** Rebuild even when an image with the recipe's alias exists. */
  force?: boolean;
}

export interface BuildResult {
  alias: string;
  fingerprint: string;
  built: boolean;
}

const debootstrapPhases: [RegExp, number][] = [
  [/^I: Retrieving/, 0.05],
  [/^I: Validating/, 0.3],
  [/^I: Extracting/, 0.35],
  [/^I: Installing core/, 0.45],
  [/^I: Unpacking/, 0.5],
  [/^I: Configuring/, 0.7],
  [/^I: Base system installed/, 1],
];

/**
 * Builds the offline Debian base image with debootstrap and imports it under an alias that
 * carries the recipe version. An existing image with that alias is kept unless `force`.
 */
export async function buildBaseImage(opts: BuildBaseImageOptions): Promise<BuildResult> {
  const recipe = opts.recipe ?? baseImageRecipe;
  const alias = baseImageAlias(recipe);
  const images = new ImagesApi(opts.client);
  const existing = await images.findByAlias(alias);
  if (existing && !opts.force) return { alias, fingerprint: existing.fingerprint, built: false };
  const result = await buildRootfsImage({
    ...opts,
    recipe,
    alias,
    description: `coi base (${recipe.suite}, recipe ${recipeHash(recipe)})`,
  });
  await pruneSupersededImages(images, `coi-base-${recipe.suite}-`, alias);
  return result;
}

export interface BuildRootfsImageOptions {
  client: IncusClient;
  progress: Progress;
  recipe: ImageRecipe;
  alias: string;
  description: string;
  logPath: string;
  workRoot?: string;
  /** `[container.build] compression` of the rootfs tarball (default none). */
  compression?: string;
  /** Extra image properties. */
  properties?: Record<string, string>;
  /**
   * Checks the imported image before the alias moves to it; a failure deletes it and fails the
   * build, so the previous image stays.
   */
  verify?: (fingerprint: string) => Promise<void>;
}

/**
 * debootstrap → recipe files → apt packages (chroot) → npm packages (host, into the rootfs) →
 * configure script (chroot) → tarballs → import under `alias` (moved from any older image).
 * The work directory is removed whatever happens.
 */
export async function buildRootfsImage(opts: BuildRootfsImageOptions): Promise<BuildResult> {
  const { recipe, alias, progress } = opts;
  const compressFlags = tarCompression(opts.compression);
  const images = new ImagesApi(opts.client);
  const mirror = mirrorFor(recipe.suite);
  if (!mirror) {
    throw new Error(
      `no apt source serves "${recipe.suite} main" on this machine (looked in /etc/apt/sources.list and /etc/apt/sources.list.d): ` +
        'add a Debian mirror for it, then run again',
    );
  }
  const workRoot = opts.workRoot ?? '/var/cache/coi/build';
  await mkdir(workRoot, { recursive: true });
  await mkdir(dirname(opts.logPath), { recursive: true });
  const dir = await mkdtemp(join(workRoot, `${alias}-`));
  const log = openLog(opts.logPath);
  const rootfs = join(dir, 'rootfs');
  try {
    progress.step(`Bootstrapping Debian ${recipe.suite} (log: ${opts.logPath})`);
    let fraction = 0;
    await run(
      'debootstrap',
      [
        `--variant=${recipe.variant}`,
        `--include=${recipe.packages.join(',')}`,
        ...(mirror.signedBy ? [`--keyring=${mirror.signedBy}`] : []),
        recipe.suite,
        rootfs,
        mirror.uri,
      ],
      {
        log,
        onLine(line) {
          for (const [re, f] of debootstrapPhases)
            if (re.test(line)) fraction = Math.max(fraction, f);
          progress.update(fraction, line.replace(/^I: /, ''));
        },
      },
    );
    if (recipe.aptPackages?.length) {
      progress.step(`Installing ${recipe.aptPackages.length} Debian packages`);
      await aptInstall(rootfs, recipe.aptPackages, log, progress);
    }
    if (recipe.npmPackages?.length) {
      progress.step(`Installing ${recipe.npmPackages.join(', ')} from npm`);
      await npmInstall(rootfs, recipe.npmPackages, log, progress);
    }

    progress.step('Configuring the image');
    await copyRecipeFiles(rootfs, recipe);
    await chrootShell(rootfs, recipe.configure, log);

    progress.step('Packing the image');
    const meta = join(dir, 'meta');
    await mkdir(meta);
    await writeFile(join(meta, 'metadata.yaml'), metadataYaml(recipe, opts.description));
    await run('tar', ['-C', meta, '-cf', join(dir, 'meta.tar'), 'metadata.yaml'], { log });
    await run(
      'tar',
      [
        '-C',
        rootfs,
        '--numeric-owner',
        '--xattrs',
        ...compressFlags,
        '-cf',
        join(dir, 'rootfs.tar'),
        '.',
      ],
      { log },
    );

    progress.step('Importing the image into Incus');
    const op = await images.importSplit(join(dir, 'meta.tar'), join(dir, 'rootfs.tar'), {
      properties: {
        os: 'debian',
        release: recipe.suite,
        description: opts.description,
        ...opts.properties,
      },
      onUpload: (sent, total) =>
        progress.update(sent / total, `${(sent / 2 ** 20).toFixed(0)} MiB`),
    });
    const done = await op.wait({ timeoutMs: 1_200_000 });
    const fingerprint = String(done.metadata?.fingerprint ?? '');
    if (opts.verify) {
      try {
        await opts.verify(fingerprint);
      } catch (err) {
        await (await images.delete(fingerprint)).wait({ timeoutMs: 300_000 });
        throw err;
      }
    }
    // The alias moves only once the new image is in (and checked): a failed build keeps the
    // previous one.
    if (await images.findByAlias(alias)) await images.deleteAlias(alias);
    await images.createAlias(alias, fingerprint, opts.description);
    progress.done(`Image ${alias} ready (${fingerprint.slice(0, 12)})`);
    return { alias, fingerprint, built: true };
  } finally {
    log.end();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Deletes earlier builds of the same base (other recipe versions); containers keep their copy. */
async function pruneSupersededImages(
  images: ImagesApi,
  prefix: string,
  keep: string,
): Promise<void> {
  for (const image of await images.list()) {
    const names = (image.aliases ?? []).map((a) => a.name);
    if (names.some((n) => n.startsWith(prefix)) && !names.includes(keep)) {
      await (await images.delete(image.fingerprint)).wait({ timeoutMs: 120_000 });
    }
  }
}

function metadataYaml(recipe: BaseImageRecipe, description: string): string {
  const created = Math.floor(Date.now() / 1000);
  return [
    `architecture: ${incusArchitecture()}`,
    `creation_date: ${created}`,
    'properties:',
    '  os: debian',
    `  release: ${recipe.suite}`,
    `  description: ${JSON.stringify(description)}`,
    '',
  ].join('\n');
}

function incusArchitecture(): string {
  const names: Record<string, string> = {
    x64: 'x86_64',
    arm64: 'aarch64',
    ppc64: 'ppc64le',
    s390x: 's390x',
  };
  return names[process.arch] ?? process.arch;
}
