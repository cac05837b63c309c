import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IncusClient } from '../../incus/client.js';
import { ImagesApi } from '../../incus/images.js';
import { mirrorFor } from '../host/apt-sources.js';
import { openLog, run } from '../host/run.js';
import type { Progress } from '../progress.js';
import {
  baseImageAlias,
  baseImageRecipe,
  recipeAssetsDir,
  recipeHash,
  type BaseImageRecipe,
} from './recipe.js';

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

  const mirror = mirrorFor(recipe.suite);
  if (!mirror) {
    throw new Error(
      `no apt source serves "${recipe.suite} main" on this machine (looked in /etc/apt/sources.list and /etc/apt/sources.list.d): ` +
        'add a Debian mirror for it, then run again',
    );
  }
  const workRoot = opts.workRoot ?? '/var/cache/coi/build';
  await mkdir(workRoot, { recursive: true });
  const dir = await mkdtemp(join(workRoot, `${alias}-`));
  const log = openLog(opts.logPath);
  const rootfs = join(dir, 'rootfs');
  try {
    opts.progress.step(`Bootstrapping Debian ${recipe.suite} (log: ${opts.logPath})`);
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
          opts.progress.update(fraction, line.replace(/^I: /, ''));
        },
      },
    );

    opts.progress.step('Configuring the image');
    for (const [name, file] of Object.entries(recipe.files)) {
      const target = join(rootfs, file.path);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(join(recipeAssetsDir, name), target);
      await chmod(target, file.mode);
    }
    await run('chroot', [rootfs, '/bin/sh', '-c', recipe.configure], {
      log,
      env: {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        DEBIAN_FRONTEND: 'noninteractive',
        LANG: 'C.UTF-8',
      },
    });

    opts.progress.step('Packing the image');
    const meta = join(dir, 'meta');
    await mkdir(meta);
    await writeFile(join(meta, 'metadata.yaml'), metadataYaml(recipe));
    await run('tar', ['-C', meta, '-cf', join(dir, 'meta.tar'), 'metadata.yaml'], { log });
    await run(
      'tar',
      ['-C', rootfs, '--numeric-owner', '--xattrs', '-cf', join(dir, 'rootfs.tar'), '.'],
      { log },
    );

    opts.progress.step('Importing the image into Incus');
    if (existing) await images.deleteAlias(alias);
    const op = await images.importSplit(join(dir, 'meta.tar'), join(dir, 'rootfs.tar'), {
      aliases: [alias],
      properties: {
        os: 'debian',
        release: recipe.suite,
        description: `coi base (${recipe.suite}, recipe ${recipeHash(recipe)})`,
      },
      onUpload: (sent, total) =>
        opts.progress.update(sent / total, `${(sent / 2 ** 20).toFixed(0)} MiB`),
    });
    const done = await op.wait({ timeoutMs: 600_000 });
    const fingerprint = String(done.metadata?.fingerprint ?? '');
    await pruneSupersededImages(images, `coi-base-${recipe.suite}-`, alias);
    opts.progress.done(`Image ${alias} ready (${fingerprint.slice(0, 12)})`);
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

function metadataYaml(recipe: BaseImageRecipe): string {
  const created = Math.floor(Date.now() / 1000);
  return [
    `architecture: ${incusArchitecture()}`,
    `creation_date: ${created}`,
    'properties:',
    '  os: debian',
    `  release: ${recipe.suite}`,
    `  description: coi base (${recipe.suite}, recipe ${recipeHash(recipe)})`,
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
