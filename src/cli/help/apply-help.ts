import type { Command } from 'commander';
import { COMMAND_HELP, type Example } from './examples.js';

/** `coi snapshot create` for that command: its name and its parents', from the root down. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The program and every command under it, parents first. */
export function allCommands(root: Command): Command[] {
  return [root, ...root.commands.flatMap(allCommands)];
}

/**
 * Gives every command in the tree its entry of COMMAND_HELP: the details under its description in
 * its own help (the description itself stays the one-liner that command lists and completion
 * show) and an Examples section at the end.
 */
export function applyHelp(program: Command): void {
  for (const cmd of allCommands(program)) {
    const help = COMMAND_HELP[commandPath(cmd)];
    if (!help) continue;
    const { details } = help;
    if (details) {
      cmd.configureHelp({
        ...cmd.configureHelp(),
        commandDescription: (c) => `${c.description()}\n\n${details}`,
      });
    }
    cmd.addHelpText('after', renderExamples(help.examples));
  }
}

const HELP_WIDTH = 80;

/**
 * `Examples:` and one line per invocation, the comments aligned after the longest one; when that
 * would not fit in 80 columns, each comment goes on its own line above its invocation.
 */
export function renderExamples(examples: readonly Example[]): string {
  const width = Math.max(...examples.map(([run, what]) => (what ? run.length : 0)));
  const fits = examples.every(([, what]) => !what || 2 + width + 4 + what.length <= HELP_WIDTH);
  const lines = examples.map(([run, what]) => {
    if (!what) return `  ${run}`;
    return fits ? `  ${run.padEnd(width)}  # ${what}` : `  # ${what}\n  ${run}`;
  });
  return `\nExamples:\n${lines.join('\n')}\n`;
}
