import { levelRank, type Alert } from '../alert.js';
import type { CommandMatch } from './command-patterns.js';
import { splitCommands } from './command-words.js';
import { credentialSearches } from './credential-search.js';
import { environmentScans } from './environment-scan.js';
import { reverseShells, type OneLinerLevel } from './reverse-shell.js';

/**
 * Command-line patterns for reverse shells, environment scanning and credential searches. Words are
 * matched whole (a `token` inside `tokenize` is not a token), and most patterns need two signals
 * (a socket and a shell, a dump and a secret filter) so everyday developer commands stay quiet.
 */

export interface CommandLineOptions {
  /** `[monitoring] reverse_shell_one_liners`: interpreter one-liners that open a connection. */
  oneLiners: OneLinerLevel;
  /** Network tools beyond the built-in ones, from `coi update patterns` (see extraNetTools). */
  netTools?: ReadonlySet<string>;
}

export interface ProcessSample {
  pid?: number;
  /** The command line, argv joined by spaces (see `commandFromCmdline`). */
  command: string;
}

/** The most severe finding of the three detectors, as an alert. */
export function classifyCommandLine(
  sample: ProcessSample,
  options: CommandLineOptions,
): Alert | undefined {
  const line = sample.command;
  const commands = splitCommands(line);
  const matches = [
    ...reverseShells(line, commands, options.oneLiners, options.netTools),
    ...credentialSearches(commands),
    ...environmentScans(line, commands),
  ];
  const best = matches.reduce<CommandMatch | undefined>(
    (top, m) => (!top || levelRank(m.level) > levelRank(top.level) ? m : top),
    undefined,
  );
  if (!best) return undefined;
  const shown = line.length > 200 ? `${line.slice(0, 200)}…` : line;
  return {
    level: best.level,
    category: best.category,
    title: best.title,
    description: `${best.what}: ${shown}`,
    evidence: {
      process: {
        pid: sample.pid,
        command: line.length > 1000 ? line.slice(0, 1000) : line,
        pattern: best.pattern,
        indicators: best.indicators,
      },
    },
  };
}
