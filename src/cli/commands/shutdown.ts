import type { Command } from 'commander';
import { withContext } from '../context.js';
import { CliError, usageError } from '../errors.js';
import type { TargetFlags } from '../targets.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

export function registerShutdown(program: Command): void {
  program
    .command('shutdown')
    .alias('close')
    .description('stop containers gracefully, save their sessions, delete them unless persistent')
    .argument('[containers...]', 'container names')
    .option('-a, --all', 'every coi container')
    .option('-f, --force', 'do not ask for confirmation')
    .option(
      '--timeout <seconds>',
      'grace period before a forced stop ([container] shutdown_timeout)',
    )
    .action(async (names: string[], flags: TargetFlags & { timeout?: string }) => {
      const timeout = flags.timeout === undefined ? undefined : Number(flags.timeout);
      if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 0)) {
        throw usageError(`--timeout: expected a number of seconds, got "${flags.timeout}"`);
      }
      const [{ endSession }, { resolveTargets }] = await Promise.all([
        import('../../core/session/end.js'),
        import('../targets.js'),
      ]);
      await withContext({}, async (ctx) => {
        const { targets, missing } = await resolveTargets(ctx, names, flags, 'Shutdown');
        const grace = timeout ?? ctx.loaded.config.container.shutdown_timeout;
        for (const name of targets) {
          say(`Shutting down container ${name} (timeout: ${grace}s)...`);
          const ended = await endSession(ctx.incus, name, {
            coiDir: ctx.coiDir,
            save: true,
            graceSeconds: grace,
            keepPersistent: true,
          });
          say(
            `  ✓ Shutdown ${name}${ended.saved ? ` (session saved to ${ended.saved.dir})` : ''}${ended.deleted ? '' : ' (kept: persistent)'}`,
          );
        }
        for (const name of missing)
          say(`  Warning: Container ${name} not found (not a coi container)`);
        if (targets.length) say(`\nShutdown ${targets.length} container(s)`);
        else if (missing.length) say('\nNo containers were shutdown');
        if (missing.length) throw new CliError(`no such coi container: ${missing.join(', ')}`);
      });
    });
}
