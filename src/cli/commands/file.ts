import type { Command } from 'commander';
import type { CopyResult } from '../../core/files/copy.js';
import { withContext } from '../context.js';

/** `Pushed file a -> c:/p` (the Go coi's line), with what a directory copy held after it. */
function report(verb: 'Pushed' | 'Pulled', source: string, result: CopyResult): void {
  for (const w of result.warnings) process.stderr.write(`Warning: ${w}\n`);
  const kind = result.directories ? 'directory' : 'file';
  const parts = [`${result.files} file(s)`, `${result.directories} directory(ies)`];
  if (result.symlinks) parts.push(`${result.symlinks} symlink(s)`);
  const counts = result.directories ? ` (${parts.join(', ')})` : '';
  process.stderr.write(`${verb} ${kind} ${source} -> ${result.destination}${counts}\n`);
}

export function registerFile(program: Command): void {
  const file = program.command('file').description('copy files between the host and a container');
  file
    .command('push')
    .description('copy a host file (or with -r a directory) into a container')
    .argument('<local>', 'host path')
    .argument('<target>', 'CONTAINER:/path (an existing directory receives it inside)')
    .option('-r, --recursive', 'copy directories')
    .action(async (local: string, target: string, flags: { recursive?: boolean }) => {
      const [{ parseContainerPath }, { pushPath }] = await Promise.all([
        import('../../core/files/container-path.js'),
        import('../../core/files/copy.js'),
      ]);
      const dest = parseContainerPath(target);
      await withContext({}, async (ctx) =>
        report('Pushed', local, await pushPath(ctx.incus, local, dest, flags)),
      );
    });
  file
    .command('pull')
    .description('copy a container file (or with -r a directory) to the host')
    .argument('<source>', 'CONTAINER:/path')
    .argument('<local>', 'host path (an existing directory receives it inside)')
    .option('-r, --recursive', 'copy directories')
    .action(async (source: string, local: string, flags: { recursive?: boolean }) => {
      const [{ parseContainerPath }, { pullPath }] = await Promise.all([
        import('../../core/files/container-path.js'),
        import('../../core/files/copy.js'),
      ]);
      const src = parseContainerPath(source);
      await withContext({}, async (ctx) =>
        report('Pulled', source, await pullPath(ctx.incus, src, local, flags)),
      );
    });
}
