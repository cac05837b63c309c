import type { Command } from 'commander';
import { join } from 'node:path';
import { reconcileNetwork } from '../../core/session/network.js';
import { HostLocks } from '../../core/session/host-locks.js';
import { SavedSessions } from '../../core/session/saved-sessions.js';
import { endSession } from '../../core/session/end.js';
import { confirmOrForce } from '../confirm.js';
import { withContext } from '../context.js';
import { endLeftoverSessions } from '../powered-off.js';
import { listCoiContainers } from '../../core/container/list.js';
import { profileTargets } from '../../shared/profile-devices.js';

interface CleanFlags {
  force?: boolean;
  sessions?: boolean;
  orphans?: boolean;
}

export function registerClean(program: Command): void {
  program
    .command('clean')
    .description(
      'delete stopped coi containers; --sessions: saved sessions; --orphans: leftovers of dead containers',
    )
    .option('-f, --force', 'do not ask for confirmation')
    .option('--sessions', 'delete all saved sessions')
    .option(
      '--orphans',
      'only remove leftovers (host locks, firewall rules) of containers that are gone',
    )
    .action(async (flags: CleanFlags) => {
      await withContext({}, async (ctx) => {
        const containers = await listCoiContainers(ctx.incus, ctx.prefix);
        let cleaned = 0;
        // Any instance counts as alive here, whatever its prefix: its locks are not stale.
        const live = new Set(await ctx.incus.instances.names());
        const locks = new HostLocks(join(ctx.coiDir, 'locks'));
        for (const name of await locks.containers()) {
          if (!live.has(name)) cleaned += (await locks.release(name)) > 0 ? 1 : 0;
        }
        const { bridge } = profileTargets((await ctx.incus.profiles.get('default')).devices);
        if (bridge) cleaned += (await reconcileNetwork(ctx.incus, bridge)).length;
        if (!flags.orphans) {
          const { ended, left } = await endLeftoverSessions(ctx, containers, flags.force);
          cleaned += ended;
          const stopped = left.filter((c) => c.status === 'Stopped');
          if (
            stopped.length &&
            (await confirmOrForce(
              `Delete ${stopped.length} stopped container(s): ${stopped.map((c) => c.name).join(', ')}?`,
              flags.force,
            ))
          ) {
            for (const c of stopped) {
              await endSession(ctx.incus, c.name, {
                coiDir: ctx.coiDir,
                save: false,
                keepPersistent: false,
              });
              cleaned++;
            }
          }
          if (flags.sessions && (await confirmOrForce('Delete all saved sessions?', flags.force))) {
            cleaned += await new SavedSessions(ctx.coiDir).removeAll();
          }
        }
        process.stderr.write(cleaned ? `✓ Cleaned ${cleaned} item(s)\n` : 'Nothing to clean.\n');
      });
    });
}
