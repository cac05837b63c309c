import { CommanderError } from './commander.js';
import { CoiError } from '../shared/errors.js';
import { exitCodeFor } from './errors.js';
import { programFor } from './program.js';

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage or configuration error. */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await programFor(argv);
    await program.parseAsync(argv);
    // Commands that pass on another program's exit code (run, exec) set process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return await reportError(err);
  }
}

async function reportError(err: unknown): Promise<number> {
  // Commander already printed its message.
  if (err instanceof CommanderError) return exitCodeFor(err);
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`Error: ${message}\n`);
  // An error coi did not expect is a bug: its stack helps whoever debugs it. (The Incus errors are
  // loaded only here, as a run that fails is the rare one.)
  const { IncusError } = await import('../incus/errors.js');
  const expected = err instanceof CoiError || err instanceof IncusError;
  if (!expected && err instanceof Error && process.env.COI_DEBUG)
    process.stderr.write(`${err.stack}\n`);
  return exitCodeFor(err);
}
