import type { Command } from 'commander';
import { join } from 'node:path';
import { endSession } from '../../core/session/end.js';
import { HostLocks } from '../../core/session/host-locks.js';
import { withContext } from '../context.js';
import { resolveTargets, type TargetFlags } from '../targets.js';

export function registerKill(program: Command): void {
  program
    .command('kill')
    .description('force-stop and delete containers now (no session save)')
    .argument('[containers...]', 'container names')
    .option('-a, --all', 'every coi container')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (names: string[], flags: TargetFlags) => {
      await withContext({}, async (ctx) => {
        const { targets, missing } = await resolveTargets(ctx, names, flags, 'kill');
        for (const name of targets) {
          await endSession(ctx.incus, name, {
            coiDir: ctx.coiDir,
            save: false,
            keepPersistent: false,
          });
          process.stderr.write(`Killed ${name}\n`);
        }
        // Already gone counts as killed; a container that is not coi's is never touched.
        const locks = new HostLocks(join(ctx.coiDir, 'locks'));
        for (const name of missing) {
          await locks.release(name);
          process.stderr.write(`${name}: no such coi container (nothing to kill)\n`);
        }
      });
    });
}
