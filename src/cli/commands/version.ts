import type { Command } from 'commander';
import { addFormatOptions } from '../options/format.js';
import { outputFormat, printJson } from '../output.js';
import { COI_URL, COI_VERSION } from '../version.js';

export function registerVersion(program: Command): void {
  addFormatOptions(
    program
      .command('version')
      .description('print the coi version and the project URL')
      // As the Go coi: `coi version anything` is still `coi version`.
      .allowExcessArguments(),
  ).action((opts: { format?: string; json?: boolean }) => {
    if (outputFormat(opts) === 'json') printJson({ version: COI_VERSION, url: COI_URL });
    else process.stdout.write(`Coi (Code on Incus) ${COI_VERSION}\n${COI_URL}\n`);
  });
}
