import type { Command } from 'commander';
import type { CleanFlags } from '../../core/clean/plan.js';
import { withContext } from '../context.js';

interface Flags extends CleanFlags {
  force?: boolean;
  dryRun?: boolean;
}

const say = (line: string) => process.stderr.write(`${line}\n`);

export function registerClean(program: Command): void {
  program
    .command('clean')
    .description(
      'delete stopped coi containers, and the leftovers of containers that are gone (host path ' +
        'locks, firewall rules, veths); --sessions: also saved sessions; --orphans: only the ' +
        'leftovers; --pools: only coi containers in storage pools no profile uses; --all: everything',
    )
    .option('-a, --all', 'stopped containers, saved sessions, leftovers and unreferenced pools')
    .option('-f, --force', 'do not ask for confirmation')
    .option('--sessions', 'also delete all saved sessions')
    .option(
      '--orphans',
      'only remove leftovers (host locks, firewall rules, veths) of containers that are gone',
    )
    .option(
      '--pools',
      'only delete coi containers in storage pools no config or profile seen from here refers to (the pools stay)',
    )
    .option('--dry-run', 'list what would be removed and change nothing')
    .action(async (flags: Flags) => {
      const [
        { cleanLeftovers, deleteContainers },
        { describeLeftovers, describePlan, describePools },
        { gatherClean },
        { cleanScope, planSize },
        { listCoiContainers },
        { SavedSessions },
        { endLeftoverSessions },
        { confirmOrForce },
      ] = await Promise.all([
        import('../../core/clean/apply.js'),
        import('../../core/clean/describe.js'),
        import('../../core/clean/gather.js'),
        import('../../core/clean/plan.js'),
        import('../../core/container/list.js'),
        import('../../core/session/saved-sessions.js'),
        import('../powered-off.js'),
        import('../confirm.js'),
      ]);
      const scope = cleanScope(flags);
      await withContext({}, async (ctx) => {
        const listed = await listCoiContainers(ctx.incus, ctx.prefix);
        // Stopped ephemeral sessions are offered first (saved, then deleted); never in a dry run.
        const { ended, left: containers } =
          flags.dryRun || flags.orphans
            ? { ended: 0, left: listed }
            : await endLeftoverSessions(ctx, listed, flags.force);
        const plan = await gatherClean(ctx.incus, containers, scope, {
          coiDir: ctx.coiDir,
          workspace: ctx.workspace,
        });
        for (const warning of plan.warnings) say(`Warning: ${warning}`);
        if (flags.dryRun) {
          process.stdout.write(
            planSize(plan)
              ? `${describePlan(plan).join('\n')}\n\n[Dry run] No changes made.\n`
              : 'Nothing to clean.\n',
          );
          return;
        }
        // Every question first: a refusal (no terminal, no --force) leaves everything as it was.
        const deleteStopped =
          plan.stopped.length > 0 &&
          (await confirmOrForce(
            `Delete ${plan.stopped.length} stopped container(s): ${plan.stopped.join(', ')}?`,
            flags.force,
          ));
        const deleteSessions =
          plan.sessions.length > 0 &&
          (await confirmOrForce(
            `Delete all ${plan.sessions.length} saved session(s)?`,
            flags.force,
          ));
        describePools(plan.pools).forEach((line) => say(line));
        const deletePooled =
          plan.pools.length > 0 && (await confirmOrForce('Delete these containers?', flags.force));

        const opts = { coiDir: ctx.coiDir, say };
        describeLeftovers(plan).forEach((line) => say(line));
        let cleaned = ended + (await cleanLeftovers(ctx.incus, plan, opts));
        if (deleteStopped) cleaned += await deleteContainers(ctx.incus, plan.stopped, opts);
        if (deleteSessions) cleaned += await new SavedSessions(ctx.coiDir).removeAll();
        const pooled = plan.pools.flatMap((p) => p.containers);
        if (deletePooled) cleaned += await deleteContainers(ctx.incus, pooled, opts);
        say(cleaned ? `✓ Cleaned ${cleaned} item(s)` : 'Nothing to clean.');
      });
    });
}
