import type { Command } from 'commander';
import type { ConfigIssue } from '../../core/config/errors.js';
import { workspacePath } from '../context.js';
import { outputFormat, printJson } from '../output.js';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('inspect and validate the configuration');

  config
    .command('show')
    .description('the effective configuration, each key with the file that set it')
    .option('--profile <name>', 'apply a profile')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .action(async (flags: { profile?: string; format?: string; json?: boolean }) => {
      const format = outputFormat(flags);
      const [{ effectiveEntries, loadConfig }, { printEntries }] = await Promise.all([
        import('../../core/config/index.js'),
        import('../views/config-entries.js'),
      ]);
      const loaded = loadConfig({
        cwd: workspacePath(undefined),
        ...(flags.profile ? { profile: flags.profile } : {}),
      });
      for (const w of loaded.warnings) process.stderr.write(`Warning: ${w.message}\n`);
      printEntries(effectiveEntries(loaded.config, loaded.origins), format);
    });

  config
    .command('validate')
    .description('check one file, or (no FILE) every layer of this workspace; exit 1 when invalid')
    .argument('[file]', 'a config.toml or profile file')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .action(async (file: string | undefined, flags: { format?: string; json?: boolean }) => {
      const format = outputFormat(flags);
      const [{ formatIssue, loadConfig }, { ConfigError }, { validateConfigFile }] =
        await Promise.all([
          import('../../core/config/index.js'),
          import('../../core/config/errors.js'),
          import('../../core/profile/validate-file.js'),
        ]);
      const cwd = workspacePath(undefined);
      let issues: ConfigIssue[];
      if (file) issues = validateConfigFile(file, cwd);
      else {
        try {
          loadConfig({ cwd });
          issues = [];
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
          issues = err.issues;
        }
      }
      if (format === 'json') {
        printJson({
          valid: issues.length === 0,
          errors: issues.map((i) => ({
            path: `${i.file}${i.key ? `: ${i.key}` : ''}`,
            message: formatIssue(i),
          })),
        });
      } else if (issues.length === 0) {
        process.stdout.write('Configuration is valid.\n');
      } else {
        process.stderr.write(
          `Configuration validation failed:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}\n`,
        );
      }
      if (issues.length) process.exitCode = 1;
    });
}
