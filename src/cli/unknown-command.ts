import type { Command } from 'commander';
import { usageError } from './errors.js';

/**
 * Bare `coi` runs the default command (`shell`), whose argument is an alias: a first word that is
 * neither a command nor a known alias is a mistyped command, not an argument of `shell`.
 */
export async function rejectUnknownCommand(root: Command, dispatched: Command): Promise<void> {
  const [word] = root.args;
  if (word === undefined || word.startsWith('-')) return;
  if (word === dispatched.name() || dispatched.aliases().includes(word)) return;
  // Loaded only now: a run that names its command skips the alias registry and the did-you-mean.
  const [{ isKnownAlias }, { nearest }] = await Promise.all([
    import('./options/alias.js'),
    import('../core/config/suggest.js'),
  ]);
  if (isKnownAlias(word)) return;
  const names = root.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  const guess = nearest(word, names);
  throw usageError(
    `unknown command "${word}"${guess ? ` (did you mean "${guess}"?)` : ''}; run \`coi --help\` for the commands`,
  );
}
