import type { Command } from 'commander';
import type { SessionLogPaths } from '../../core/logs/paths.js';
import { withContext } from '../context.js';
import { CliError } from '../errors.js';

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description(
      "a session's logs (~/.coi/logs): coi's progress, errors marked [ERR] and `coi run` " +
        "output; no name: COI_CONTAINER, else this workspace's container",
    )
    .argument('[container]', 'container name (its logs outlive an ephemeral container)')
    .option('-f, --follow', 'keep printing new lines as they are written, until Ctrl+C')
    .action(async (name: string | undefined, flags: { follow?: boolean }) => {
      const [{ sessionLogPaths }, { readSessionLogs }, { logsContainer }] = await Promise.all([
        import('../../core/logs/paths.js'),
        import('../../core/logs/read.js'),
        import('../../core/logs/target.js'),
      ]);
      await withContext({}, async (ctx) => {
        const container = await logsContainer(ctx.incus, {
          arg: name,
          env: process.env.COI_CONTAINER,
          workspace: ctx.workspace,
          prefix: ctx.prefix,
          coiDir: ctx.coiDir,
        });
        const paths = sessionLogPaths(ctx.coiDir, container);
        if (flags.follow) return follow(paths);
        const text = await readSessionLogs(paths);
        if (text === undefined)
          throw new CliError(
            `no logs found for container ${container} (expected ${paths.stdout} or ${paths.stderr})`,
          );
        process.stdout.write(text);
      });
    });
}

async function follow(paths: SessionLogPaths): Promise<void> {
  const { followSessionLogs } = await import('../../core/logs/follow.js');
  process.stderr.write('[logs] tailing logs (Ctrl+C to stop)\n');
  const follower = followSessionLogs(paths, (text) => process.stdout.write(text));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  follower.stop();
}
