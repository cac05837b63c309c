import type { Command } from 'commander';
import { outputFormat, printJson } from '../output.js';

export function registerValidate(program: Command): void {
  const validate = program.command('validate').description('check coi files on their own');

  validate
    .command('profile')
    .description(
      'check a profile’s config.toml (syntax, keys, types, values) without loading any other config; exit 0 valid, 1 invalid',
    )
    .argument('<path>', 'the config.toml to check')
    .option('--format <format>', 'text or json ({valid, errors: [{path, message}]})', 'text')
    .option('--json', 'same as --format json')
    .action(async (path: string, flags: { format?: string; json?: boolean }) => {
      const format = outputFormat(flags);
      const [{ validationReport }, { validateConfigFile }] = await Promise.all([
        import('../../core/profile/validation-report.js'),
        import('../../core/profile/validate-file.js'),
      ]);
      const report = validationReport(validateConfigFile(path, process.cwd()));
      if (!report.valid) process.exitCode = 1;
      if (format === 'json') return printJson(report);
      if (report.valid) return void process.stdout.write('Profile is valid.\n');
      const lines = report.errors.map((e) => `  ${e.path || '(root)'}: ${e.message}`);
      process.stderr.write(`Profile validation failed:\n${lines.join('\n')}\n`);
    });
}
