import type { AlertCategory, AlertLevel } from '../alert.js';
import type { SimpleCommand } from './command-words.js';

/** Words and patterns more than one command-line detector reads. */

/** Program names of shells. */
export const SHELLS: ReadonlySet<string> = new Set(
  'sh bash zsh ksh dash ash fish csh tcsh mksh oksh lksh posh yash rbash'.split(' '),
);

const INTERPRETERS = String.raw`python[\d.]*|perl|ruby|php|node|nodejs|bun|lua[\d.]*`;

/** Program names of the interpreters INTERPRETER knows. */
export const INTERPRETER_NAME = new RegExp(`^(?:${INTERPRETERS})$`);

/** `python -c …`, `perl -e …`, … : groups are the interpreter, its flags, the flag, the code. */
export const INTERPRETER = new RegExp(
  String.raw`(?:^|[\s;|&(/])(${INTERPRETERS})((?:\s+-[-\w:]+)*?)\s+(-c|-e|-E|-r|--eval)\s+(.*)$`,
  's',
);

/** Programs that filter text (a pipe into one of them filters the output before). */
export const GREPS: ReadonlySet<string> = new Set([
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'ag',
  'ack',
  'awk',
  'sed',
  'findstr',
]);
const RECURSIVE_GREPS = new Set(['rg', 'ag', 'ack']);
const GREPS_WITH_R = new Set(['grep', 'egrep', 'fgrep']);

/** One detector's finding on a command line; the classifier keeps the most severe. */
export interface CommandMatch {
  level: AlertLevel;
  category: AlertCategory;
  title: string;
  pattern: string;
  what: string;
  indicators: string[];
}

/** A grep that searches directory trees (`-r`, `-R`, rg/ag/ack, `git grep`) for `pattern`. */
export function recursiveGrepFor(cmd: SimpleCommand, pattern: RegExp): string | undefined {
  const gitGrep = cmd.program === 'git' && cmd.args[0] === 'grep';
  const recursive =
    RECURSIVE_GREPS.has(cmd.program) ||
    gitGrep ||
    (GREPS_WITH_R.has(cmd.program) &&
      cmd.args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === '--recursive'));
  return recursive ? grepFor({ ...cmd, program: 'grep' }, pattern) : undefined;
}

/** What of `pattern` a grep's arguments search for. */
export function grepFor(cmd: SimpleCommand, pattern: RegExp): string | undefined {
  if (!GREPS.has(cmd.program)) return undefined;
  return pattern.exec(cmd.args.join(' '))?.[0];
}
