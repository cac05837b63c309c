import { truncateSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildCustomImage } from '../../core/image/build-custom.js';
import { buildDefaultImage } from '../../core/image/build-default.js';
import { DEFAULT_IMAGE_ALIAS } from '../../core/image/default-recipe.js';
import { terminalProgress } from '../../core/progress.js';
import { withContext, type CliContext } from '../context.js';
import { CliError } from '../errors.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

/** A fresh build log under ~/.coi/logs, named after the image. */
function buildLog(ctx: CliContext, alias: string): string {
  const dir = join(ctx.coiDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `build-${alias}.log`);
  try {
    truncateSync(path);
  } catch {
    // no earlier log
  }
  return path;
}

interface BuildFlags {
  force?: boolean;
  profile?: string;
  alias?: string;
}

async function buildProfileImage(ctx: CliContext, flags: BuildFlags): Promise<void> {
  const { config } = ctx.loaded;
  const build = config.container.build;
  const alias = config.container.image;
  if (!build.script && !build.commands?.length)
    throw new CliError(
      `profile ${flags.profile} has no [container.build] script or commands to build`,
    );
  if (alias === DEFAULT_IMAGE_ALIAS)
    throw new CliError(
      `profile ${flags.profile} would overwrite ${DEFAULT_IMAGE_ALIAS}: set its [container] image to a name of its own`,
    );
  const logPath = buildLog(ctx, alias);
  const result = await buildCustomImage({
    incus: ctx.incus,
    progress: terminalProgress(),
    logPath,
    alias,
    base: build.base ?? DEFAULT_IMAGE_ALIAS,
    ...(build.script ? { script: build.script } : {}),
    ...(build.commands ? { commands: build.commands } : {}),
    prefix: ctx.prefix,
    compression: build.compression,
    force: flags.force,
  });
  say(
    result.built ? `Built ${alias}. Log: ${logPath}` : `${alias} exists; kept (--force rebuilds).`,
  );
}

export function registerBuild(program: Command): void {
  const build = program
    .command('build')
    .description('build the coi-default image (offline Debian base + agents), or a profile’s image')
    .option('-f, --force', 'rebuild even if the image exists')
    .option('--profile <name>', 'build the image of this profile’s [container.build]')
    .option('--alias <name>', `image alias to build (default ${DEFAULT_IMAGE_ALIAS})`)
    .action(async (flags: BuildFlags) => {
      await withContext(flags.profile ? { profile: flags.profile } : {}, async (ctx) => {
        if (flags.profile) return buildProfileImage(ctx, flags);
        const alias = flags.alias ?? DEFAULT_IMAGE_ALIAS;
        const logPath = buildLog(ctx, alias);
        const started = Date.now();
        const result = await buildDefaultImage({
          incus: ctx.incus,
          progress: terminalProgress(),
          logPath,
          alias,
          force: flags.force,
          compression: ctx.loaded.config.container.build.compression,
        });
        if (!result.built) {
          say(`${alias} exists (${result.fingerprint.slice(0, 12)}); kept (--force rebuilds).`);
          if (result.stale)
            say(
              `Note: it was built from recipe ${result.stale}; the current recipe is ${result.recipe}.`,
            );
          return;
        }
        const seconds = Math.round((Date.now() - started) / 1000);
        say(`Built ${alias} (${result.fingerprint.slice(0, 12)}) in ${seconds} s. Log: ${logPath}`);
      });
    });

  build
    .command('custom')
    .description('build an image on top of a base by running a script in it as root')
    .argument('<name>', 'alias of the new image')
    .requiredOption('--script <file>', 'shell script to run as root')
    .option('--base <image>', 'image to start from', DEFAULT_IMAGE_ALIAS)
    .option('-f, --force', 'rebuild even if the image exists')
    .action(async (name: string, flags: { script: string; base: string; force?: boolean }) => {
      await withContext({}, async (ctx) => {
        const logPath = buildLog(ctx, name);
        const result = await buildCustomImage({
          incus: ctx.incus,
          progress: terminalProgress(),
          logPath,
          alias: name,
          base: flags.base,
          script: flags.script,
          prefix: ctx.prefix,
          compression: ctx.loaded.config.container.build.compression,
          force: flags.force,
        });
        say(
          result.built
            ? `Built ${name}. Log: ${logPath}`
            : `${name} exists; kept (--force rebuilds).`,
        );
      });
    });
}
