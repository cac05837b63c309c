import type { Command } from 'commander';
import { addFormatOptions } from '../options/format.js';
import { globalOptions } from '../options/global.js';

export interface SpecFlags {
  container?: string;
  promptFile: string;
  resumeLatest?: boolean;
  resumeId?: string;
  workspace?: string;
  format?: string;
  json?: boolean;
}

export function registerTool(program: Command): void {
  const tool = program
    .command('tool')
    .description('how the configured agent starts headless in a container, for orchestrators');
  addFormatOptions(
    tool
      .command('spec')
      .description(
        'print the argv and environment that start the agent headless in a session container, without running it',
      )
      .option(
        '-c, --container <name>',
        'the container (default: COI_CONTAINER, else this workspace’s one)',
      )
      .requiredOption('--prompt-file <path>', 'the prompt, read from this host file')
      .option('--resume-latest', 'continue the agent’s newest conversation in the container')
      .option('--resume-id <id>', 'continue this conversation of the agent')
      .addOption(
        globalOptions.workspace('workspace whose container is meant (without --container)'),
      ),
  ).action(async (flags: SpecFlags) => (await import('./tool-action.js')).toolSpecAction(flags));
}
