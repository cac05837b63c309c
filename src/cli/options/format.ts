import type { Command } from 'commander';
import { FORMATS } from '../output.js';
import { enumOption } from './enum.js';

/** `--format text|json` and `--json`, which every command with a text and a JSON output takes. */
export function addFormatOptions(cmd: Command, description = 'output: text or json'): Command {
  return cmd
    .addOption(enumOption('--format <format>', description, FORMATS).default('text'))
    .option('--json', 'same as --format json');
}
