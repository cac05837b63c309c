import type { Command } from 'commander';

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description(
      'install and start what coi needs on this host (idempotent): Incus, pool, bridge, base image, ' +
        'and coi-default (the agents’ image) when it is missing',
    )
    .option(
      '--test',
      'test bed: bridge NAT off and a guard table that keeps container traffic on the machine',
    )
    .option('--no-image', 'skip building the base image (and coi-default)')
    .option(
      '--no-default-image',
      'skip building coi-default (also skipped with --test: the test bed has its own image)',
    )
    .action(async (opts: { test?: boolean; image: boolean; defaultImage: boolean }) => {
      const [{ setupHost }, { terminalProgress }, { loadConfig }, { defaultBuildSettings }] =
        await Promise.all([
          import('../../core/host/setup.js'),
          import('../../core/progress.js'),
          import('../../core/config/index.js'),
          import('../../core/image/build-default.js'),
        ]);
      const defaultImage = opts.defaultImage && opts.image && !opts.test;
      const report = await setupHost({
        test: !!opts.test,
        image: opts.image,
        defaultImage,
        // The user's [container.build] (agents, compression) decides how coi-default is built.
        ...(defaultImage
          ? { defaultImageBuild: defaultBuildSettings(loadConfig({ cwd: process.cwd() }).config) }
          : {}),
        progress: terminalProgress(),
      });
      const warnings = report.steps.filter((s) => s.status === 'warn').length;
      process.stderr.write(`Host ready${warnings ? ` with ${warnings} warning(s)` : ''}.\n`);
    });
}
