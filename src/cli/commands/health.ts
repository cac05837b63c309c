import type { Command } from 'commander';
import { containerPrefix } from '../../shared/naming.js';
import { coiDir, workspacePath } from '../context.js';
import { usageError } from '../errors.js';
import { outputFormat, printJson } from '../output.js';

interface Flags {
  format?: string;
  json?: boolean;
  verbose?: boolean;
  fix?: boolean;
  dryRun?: boolean;
}

export function registerHealth(program: Command): void {
  program
    .command('health')
    .description(
      'check the host, Incus, network (with a probe container), monitoring, storage and config ' +
        '(exit 0 healthy, 1 degraded, 2 unhealthy)',
    )
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .option('-v, --verbose', 'show check details')
    .option(
      '--fix',
      'apply the safe fixes (start Incus, pool, bridge, images, as `coi setup`), then check again',
    )
    .option('--dry-run', 'with --fix: print what would be fixed and change nothing')
    .action(async (flags: Flags) => {
      const format = outputFormat(flags);
      if (flags.fix && format === 'json')
        throw usageError('--fix cannot be combined with json output');
      if (flags.dryRun && !flags.fix)
        throw usageError('--dry-run requires --fix (it shows what --fix would do)');
      const [
        { applyFixes, configuredImage, planFixes, renderFixPlan },
        { renderHealth },
        { healthExitCode, runHealth },
        { terminalProgress },
      ] = await Promise.all([
        import('../../core/health/fix.js'),
        import('../../core/health/render.js'),
        import('../../core/health/run.js'),
        import('../../core/progress.js'),
      ]);
      const opts = {
        workspace: workspacePath(undefined),
        coiDir: coiDir(),
        prefix: containerPrefix(),
        verbose: flags.verbose,
      };
      let report = await runHealth(opts);
      if (flags.fix && report.status !== 'healthy') {
        const plan = renderFixPlan(planFixes(report, configuredImage(opts.workspace)));
        if (flags.dryRun) {
          process.stdout.write(renderHealth(report, flags.verbose));
          process.stdout.write(`\nFix plan (--dry-run: nothing changed):\n${plan.join('\n')}\n`);
          process.exitCode = healthExitCode(report.status);
          return;
        }
        process.stderr.write(renderHealth(report, flags.verbose));
        process.stderr.write(`\nFix plan:\n${plan.join('\n')}\n`);
        process.stderr.write('\nApplying fixes (this may build images and take minutes)…\n');
        const done = await applyFixes(report, { ...opts, progress: terminalProgress() });
        process.stderr.write(
          done.length
            ? `Fixed:\n${done.map((d) => `  [DONE] ${d}`).join('\n')}\n\n`
            : 'Nothing to fix automatically.\n\n',
        );
        report = await runHealth(opts);
      }
      if (format === 'json') printJson(report);
      else process.stdout.write(renderHealth(report, flags.verbose));
      process.exitCode = healthExitCode(report.status);
    });
}
