import type { Command } from 'commander';
import { withContext } from '../context.js';
import { CliError } from '../errors.js';
import { resolveTargets, type TargetFlags } from '../targets.js';
import { coiKeysConfig } from '../../shared/instance-keys.js';

export function registerPersist(program: Command): void {
  program
    .command('persist')
    .description('make running ephemeral containers persistent (kept after the session)')
    .argument('[containers...]', 'container names')
    .option('-a, --all', 'every ephemeral coi container')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (names: string[], flags: TargetFlags) => {
      await withContext({}, async (ctx) => {
        const { targets, missing } = await resolveTargets(
          ctx,
          names,
          flags,
          'persist',
          (c) => !c.persistent || names.length > 0,
        );
        for (const name of targets) {
          await ctx.incus.instances.patch(name, { config: coiKeysConfig({ persistent: true }) });
          process.stderr.write(`${name} is now persistent\n`);
        }
        if (missing.length) throw new CliError(`no such coi container: ${missing.join(', ')}`);
      });
    });
}
