import { CommanderError } from './commander.js';
import { CoiError, type ErrorKind } from '../shared/errors.js';

/** An error of the command line itself; a failure unless said otherwise. */
export class CliError extends CoiError {}

export const usageError = (message: string) => new CliError(message, 'usage');

const EXIT_CODES: Record<ErrorKind, number> = { usage: 2, config: 2, failure: 1 };

/** The exit code of a command that threw: 0 help/version, 2 usage or configuration, 1 otherwise. */
export function exitCodeFor(err: unknown): number {
  // Commander reports bad arguments, and help and version, as errors.
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  return err instanceof CoiError ? EXIT_CODES[err.kind] : 1;
}
