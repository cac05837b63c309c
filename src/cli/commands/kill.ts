import type { Command } from 'commander';
import { join } from 'node:path';
import { withContext } from '../context.js';
import type { TargetFlags } from '../targets.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

export function registerKill(program: Command): void {
  program
    .command('kill')
    .description('force-stop and delete containers now (no session save)')
    .argument('[containers...]', 'container names')
    .option('-a, --all', 'every coi container')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (names: string[], flags: TargetFlags) => {
      const [{ endSession }, { HostLocks }, { resolveTargets }] = await Promise.all([
        import('../../core/session/end.js'),
        import('../../core/session/host-locks.js'),
        import('../targets.js'),
      ]);
      await withContext({}, async (ctx) => {
        const { targets, missing } = await resolveTargets(ctx, names, flags, 'Kill');
        for (const name of targets) {
          say(`Killing container ${name}...`);
          await endSession(ctx.incus, name, {
            coiDir: ctx.coiDir,
            save: false,
            keepPersistent: false,
          });
          say(`  ✓ Killed ${name}`);
        }
        // Already gone counts as killed; a container that is not coi's is never touched.
        const locks = new HostLocks(join(ctx.coiDir, 'locks'));
        for (const name of missing) {
          await locks.release(name);
          say(`  Warning: Container ${name} not found: no such coi container (nothing to kill)`);
        }
        if (targets.length) say(`\nKilled ${targets.length} container(s)`);
        else if (missing.length) say('\nNo containers were killed');
      });
    });
}
