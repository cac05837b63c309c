import { CommanderError } from 'commander';
import { IncusError } from '../incus/errors.js';
import { HostSetupError } from '../core/host/packages.js';
import { CliError } from './errors.js';
import { buildProgram } from './program.js';

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage or configuration error. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    // Commands that pass on another program's exit code (run, exec) set process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander already printed the message; help and version exit 0.
    return err.exitCode === 0 ? 0 : 2;
  }
  const exitCode =
    err instanceof CliError || err instanceof HostSetupError
      ? err.exitCode
      : typeof (err as { exitCode?: unknown }).exitCode === 'number'
        ? (err as { exitCode: number }).exitCode
        : 1;
  const message = err instanceof Error ? err.message : String(err);
  const known =
    err instanceof CliError || err instanceof HostSetupError || err instanceof IncusError;
  process.stderr.write(`Error: ${message}\n`);
  if (!known && err instanceof Error && process.env.COI_DEBUG)
    process.stderr.write(`${err.stack}\n`);
  return exitCode;
}
