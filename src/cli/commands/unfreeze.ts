import type { Command } from 'commander';
import { listCoiContainers } from '../../core/container/list.js';
import { withContext } from '../context.js';
import { CliError } from '../errors.js';

export function registerUnfreeze(program: Command): void {
  program
    .command('unfreeze')
    .alias('resume')
    .description('resume a paused (frozen) container; no name: every frozen coi container')
    .argument('[container]', 'container name')
    .action(async (name: string | undefined) => {
      await withContext({}, async (ctx) => {
        const frozen = (await listCoiContainers(ctx.incus, ctx.prefix)).filter(
          (c) => c.status === 'Frozen',
        );
        const targets = name ? frozen.filter((c) => c.name === name) : frozen;
        if (name && targets.length === 0)
          throw new CliError(`${name} is not a frozen coi container (see \`coi list\`)`);
        if (targets.length === 0) process.stderr.write('No frozen containers.\n');
        for (const c of targets) {
          await (await ctx.incus.instances.unfreeze(c.name)).wait();
          process.stderr.write(`Resumed ${c.name}\n`);
        }
      });
    });
}
