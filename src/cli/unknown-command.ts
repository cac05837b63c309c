import type { Command } from 'commander';
import { nearest } from '../core/config/suggest.js';
import { usageError } from './errors.js';
import { isKnownAlias } from './options/alias.js';

/**
 * Bare `coi` runs the default command (`shell`), whose argument is an alias: a first word that is
 * neither a command nor a known alias is a mistyped command, not an argument of `shell`.
 */
export function rejectUnknownCommand(root: Command, dispatched: Command): void {
  const [word] = root.args;
  if (word === undefined || word.startsWith('-')) return;
  if (word === dispatched.name() || dispatched.aliases().includes(word)) return;
  if (isKnownAlias(word)) return;
  const names = root.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  const guess = nearest(word, names);
  throw usageError(
    `unknown command "${word}"${guess ? ` (did you mean "${guess}"?)` : ''}; run \`coi --help\` for the commands`,
  );
}
