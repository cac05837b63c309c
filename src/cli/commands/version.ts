import type { Command } from 'commander';
import { outputFormat, printJson } from '../output.js';
import { COI_VERSION } from '../version.js';

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('print the coi version')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'same as --format json')
    .action((opts: { format?: string; json?: boolean }) => {
      if (outputFormat(opts) === 'json') printJson({ version: COI_VERSION });
      else process.stdout.write(`Coi (Code on Incus) ${COI_VERSION}\n`);
    });
}
