import type { Command } from 'commander';
import { listCoiContainers, type ListIncus } from '../../core/container/list.js';
import { resumeContainer, type ResumeIncus } from '../../core/container/resume.js';
import { withContext } from '../context.js';
import { CliError } from '../errors.js';

/** `coi unfreeze [container]`: the named frozen coi container, or every frozen one. */
export async function unfreezeCommand(
  incus: ListIncus & ResumeIncus,
  prefix: string,
  name: string | undefined,
): Promise<void> {
  const frozen = (await listCoiContainers(incus, prefix)).filter((c) => c.status === 'Frozen');
  const targets = name ? frozen.filter((c) => c.name === name) : frozen;
  if (name && targets.length === 0)
    throw new CliError(`${name} is not a frozen coi container (see \`coi list\`)`);
  if (targets.length === 0) process.stderr.write('No frozen containers.\n');
  for (const c of targets) {
    await resumeContainer(incus, c.name);
    process.stderr.write(`Resumed ${c.name}\n`);
  }
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
