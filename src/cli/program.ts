import { Command } from 'commander';
import { registerAttach } from './commands/attach.js';
import { registerClean } from './commands/clean.js';
import { registerKill } from './commands/kill.js';
import { registerList } from './commands/list.js';
import { registerPersist } from './commands/persist.js';
import { registerRun } from './commands/run.js';
import { registerSetup } from './commands/setup.js';
import { registerShell } from './commands/shell.js';
import { registerShutdown } from './commands/shutdown.js';
import { registerUnfreeze } from './commands/unfreeze.js';
import { registerVersion } from './commands/version.js';
import { COI_VERSION } from './version.js';

/** The `coi` command tree; each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('coi')
    .description('coi — AI coding agents in hardened Incus system containers, with a control room')
    .version(`Coi (Code on Incus) ${COI_VERSION}`, '--version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerShell(program);
  registerRun(program);
  registerAttach(program);
  registerList(program);
  registerShutdown(program);
  registerKill(program);
  registerClean(program);
  registerPersist(program);
  registerUnfreeze(program);
  registerSetup(program);
  registerVersion(program);
  return program;
}
