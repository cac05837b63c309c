import type { Command } from 'commander';
import { addSessionOptions, type SessionFlags } from '../session-options.js';

export interface ShellFlags extends SessionFlags {
  background?: boolean;
  debug?: boolean;
  container?: string;
}

export function registerShell(program: Command): void {
  addSessionOptions(
    program
      .command('shell', { isDefault: true })
      .description(
        'start an agent in its own container and attach to its tmux session (the default command); ' +
          'a running session of the workspace is reattached instead',
      )
      .argument(
        '[alias]',
        'a container alias ([container] alias): its workspace, from any directory',
      ),
  )
    .option('--background', 'start the session detached (attach later with `coi attach`)')
    .option('--debug', 'open bash instead of the agent')
    .option('--container <name>', 'enter this existing container as it is (no new session)')
    .action(async (alias: string | undefined, flags: ShellFlags, command: Command) => {
      // --workspace has a default ("."): only one given on the command line counts here.
      const workspaceGiven = command.getOptionValueSource('workspace') === 'cli';
      await (await import('./shell-action.js')).shellAction(alias, flags, workspaceGiven);
    });
}
