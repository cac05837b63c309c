import type { Command } from 'commander';
import { DEFAULT_IMAGE_ALIAS } from '../../core/image/default-alias.js';

export interface BuildFlags {
  force?: boolean;
  profile?: string;
  alias?: string;
  all?: boolean;
}

export interface CustomFlags {
  script: string;
  base: string;
  force?: boolean;
}

export function registerBuild(program: Command): void {
  const build = program
    .command('build')
    .description(
      'build the coi-default image (offline Debian base + agents), a profile’s image, or all of them',
    )
    .option('-f, --force', 'rebuild even if the image exists')
    .option('--profile <name>', 'build the image of this profile’s [container.build]')
    .option(
      '-a, --all',
      'build coi-default, then every profile with a [container.build] (user and workspace profiles), by name',
    )
    .option('--alias <name>', `image alias to build (default ${DEFAULT_IMAGE_ALIAS})`)
    .action(async (flags: BuildFlags) => (await import('./build-action.js')).buildAction(flags));

  build
    .command('custom')
    .description('build an image on top of a base by running a script in it as root')
    .argument('<name>', 'alias of the new image')
    .requiredOption('--script <file>', 'shell script to run as root')
    .option('--base <image>', 'image to start from', DEFAULT_IMAGE_ALIAS)
    .option('-f, --force', 'rebuild even if the image exists')
    .action(async (name: string, flags: CustomFlags) =>
      (await import('./build-action.js')).buildCustomAction(name, flags),
    );
}
