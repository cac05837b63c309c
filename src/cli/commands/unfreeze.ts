import type { Command } from 'commander';
import type { ListIncus } from '../../core/container/list.js';
import type { ResumeIncus } from '../../core/container/resume.js';
import { withContext } from '../context.js';
import { CliError } from '../errors.js';

/** `coi unfreeze [container]`: the named frozen coi container, or every frozen one. */
export async function unfreezeCommand(
  incus: ListIncus & ResumeIncus,
  prefix: string,
  name: string | undefined,
): Promise<void> {
  const [{ listCoiContainers }, { resumeContainer }] = await Promise.all([
    import('../../core/container/list.js'),
    import('../../core/container/resume.js'),
  ]);
  const containers = await listCoiContainers(incus, prefix);
  const named = name && containers.find((c) => c.name === name);
  if (name && !named)
    throw new CliError(`container ${name} not found: no such coi container (see \`coi list\`)`);
  if (named && named.status !== 'Frozen')
    throw new CliError(`container ${name} is not frozen (status: ${named.status})`);
  const targets = named ? [named] : containers.filter((c) => c.status === 'Frozen');
  if (targets.length === 0) process.stderr.write('No frozen Coi containers found\n');
  for (const c of targets) {
    await resumeContainer(incus, c.name);
    process.stderr.write(`Unfroze container: ${c.name}\n`);
  }
  if (!name && targets.length) process.stderr.write(`Unfroze ${targets.length} container(s)\n`);
}

export function registerUnfreeze(program: Command): void {
  program
    .command('unfreeze')
    .alias('resume')
    .description('resume a paused (frozen) container; no name: every frozen coi container')
    .argument('[container]', 'container name')
    .action(async (name: string | undefined) => {
      await withContext({}, (ctx) => unfreezeCommand(ctx.incus, ctx.prefix, name));
    });
}
