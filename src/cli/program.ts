import { Command } from 'commander';
import { registerAttach } from './commands/attach.js';
import { registerAudit } from './commands/audit.js';
import { registerBuild } from './commands/build.js';
import { registerClean } from './commands/clean.js';
import { registerCompletion } from './commands/completion.js';
import { registerConfig } from './commands/config.js';
import { registerContainer } from './commands/container.js';
import { registerFile } from './commands/file.js';
import { registerHealth } from './commands/health.js';
import { registerImage } from './commands/image.js';
import { registerInfo } from './commands/info.js';
import { registerKill } from './commands/kill.js';
import { registerList } from './commands/list.js';
import { registerLogs } from './commands/logs.js';
import { registerMonitor } from './commands/monitor.js';
import { registerPersist } from './commands/persist.js';
import { registerProfile } from './commands/profile.js';
import { registerRun } from './commands/run.js';
import { registerSchema } from './commands/schema.js';
import { registerSetup } from './commands/setup.js';
import { registerShell } from './commands/shell.js';
import { registerShutdown } from './commands/shutdown.js';
import { registerSnapshot } from './commands/snapshot.js';
import { registerTmux } from './commands/tmux.js';
import { registerTool } from './commands/tool.js';
import { registerTop } from './commands/top.js';
import { registerTui } from './commands/tui.js';
import { registerUnfreeze } from './commands/unfreeze.js';
import { registerValidate } from './commands/validate.js';
import { registerVersion } from './commands/version.js';
import { addGlobalOptions, passGlobalFlags } from './options/global.js';
import { rejectUnknownCommand } from './unknown-command.js';
import { applyHelp } from './help/apply-help.js';
import { COI_VERSION } from './version.js';

/** The `coi` command tree; each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('coi')
    .description('coi — AI coding agents in hardened Incus system containers, with a control room')
    .version(`Coi (Code on Incus) ${COI_VERSION}`, '--version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  addGlobalOptions(program).hook('preSubcommand', (root, command) => {
    rejectUnknownCommand(root, command);
    passGlobalFlags(root, command);
  });
  registerShell(program);
  registerRun(program);
  registerTool(program);
  registerAttach(program);
  registerList(program);
  registerShutdown(program);
  registerKill(program);
  registerClean(program);
  registerPersist(program);
  registerUnfreeze(program);
  registerSnapshot(program);
  registerFile(program);
  registerContainer(program);
  registerTmux(program);
  registerImage(program);
  registerHealth(program);
  registerProfile(program);
  registerConfig(program);
  registerInfo(program);
  registerBuild(program);
  registerSetup(program);
  registerVersion(program);
  registerCompletion(program);
  registerTui(program);
  registerMonitor(program);
  registerAudit(program);
  registerTop(program);
  registerLogs(program);
  registerSchema(program);
  registerValidate(program);
  applyHelp(program);
  return program;
}
