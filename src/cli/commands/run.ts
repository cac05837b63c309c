import type { Command } from 'commander';
import { addSessionOptions, type SessionFlags } from '../session-options.js';
import type { PromptFlags } from './run-target.js';

export type RunFlags = SessionFlags & PromptFlags;

export function registerRun(program: Command): void {
  addSessionOptions(
    program
      .command('run')
      .description(
        'run a command (or the agent with a prompt) in a container and exit with its exit code',
      )
      .argument(
        '[command...]',
        'one word: a shell command line (bash -lc); several: the exact argv, each word as given; none: ./coi-run',
      )
      .option('--prompt <text>', 'run the agent headless (print mode) with this prompt')
      .option('--prompt-file <path>', 'run the agent headless with the prompt in this file')
      .option(
        '--prompt-name <name>',
        'run the agent headless with a named prompt ([prompts] or ~/.coi/prompts/NAME.md)',
      )
      // Everything from the command's first word on is the command's, its options included.
      .passThroughOptions(),
  ).action(async (words: string[], flags: RunFlags) =>
    (await import('./run-action.js')).runAction(words, flags),
  );
}
