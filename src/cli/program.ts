import { Command } from 'commander';
import { registerSetup } from './commands/setup.js';
import { registerVersion } from './commands/version.js';
import { COI_VERSION } from './version.js';

/** The `coi` command tree; each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('coi')
    .description('coi — AI coding agents in hardened Incus system containers, with a control room')
    .version(`Coi (Code on Incus) ${COI_VERSION}`, '--version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerSetup(program);
  registerVersion(program);
  return program;
}
