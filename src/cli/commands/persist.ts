import type { Command } from 'commander';
import { withContext } from '../context.js';
import { CliError } from '../errors.js';
import type { TargetFlags } from '../targets.js';
import { coiKeysConfig } from '../../shared/instance-keys.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

export function registerPersist(program: Command): void {
  program
    .command('persist')
    .description('make running ephemeral containers persistent (kept after the session)')
    .argument('[containers...]', 'container names')
    .option('-a, --all', 'every ephemeral coi container')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (names: string[], flags: TargetFlags) => {
      const { resolveTargets } = await import('../targets.js');
      await withContext({}, async (ctx) => {
        const { targets, missing } = await resolveTargets(
          ctx,
          names,
          flags,
          'persist',
          (c) => !c.persistent || names.length > 0,
        );
        for (const name of targets) {
          say(`Persisting container ${name}...`);
          await ctx.incus.instances.patch(name, { config: coiKeysConfig({ persistent: true }) });
          say(`  ✓ Persisted ${name} (kept, stopped, when its session ends)`);
        }
        for (const name of missing)
          say(`  Warning: Container ${name} not found (not a coi container)`);
        if (targets.length) say(`\nPersisted ${targets.length} container(s)`);
        else if (missing.length) say('\nNo containers were persisted');
        if (missing.length) throw new CliError(`no such coi container: ${missing.join(', ')}`);
      });
    });
}
