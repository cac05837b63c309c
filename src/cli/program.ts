import { Command } from './commander.js';
import { commandWord } from './command-word.js';
import { addGlobalOptions, passGlobalFlags } from './options/global.js';
import { COI_VERSION } from './version.js';

type Register = (program: Command) => void;

/**
 * Every top-level command, in `coi --help` order, with the module that defines it: a run loads the
 * definition of its own command only (each file costs about a millisecond to load).
 */
const COMMANDS = {
  shell: () => import('./commands/shell.js').then((m) => m.registerShell),
  run: () => import('./commands/run.js').then((m) => m.registerRun),
  tool: () => import('./commands/tool.js').then((m) => m.registerTool),
  attach: () => import('./commands/attach.js').then((m) => m.registerAttach),
  list: () => import('./commands/list.js').then((m) => m.registerList),
  shutdown: () => import('./commands/shutdown.js').then((m) => m.registerShutdown),
  kill: () => import('./commands/kill.js').then((m) => m.registerKill),
  clean: () => import('./commands/clean.js').then((m) => m.registerClean),
  persist: () => import('./commands/persist.js').then((m) => m.registerPersist),
  unfreeze: () => import('./commands/unfreeze.js').then((m) => m.registerUnfreeze),
  snapshot: () => import('./commands/snapshot.js').then((m) => m.registerSnapshot),
  file: () => import('./commands/file.js').then((m) => m.registerFile),
  hosts: () => import('./commands/hosts.js').then((m) => m.registerHosts),
  container: () => import('./commands/container.js').then((m) => m.registerContainer),
  tmux: () => import('./commands/tmux.js').then((m) => m.registerTmux),
  image: () => import('./commands/image.js').then((m) => m.registerImage),
  health: () => import('./commands/health.js').then((m) => m.registerHealth),
  remote: () => import('./commands/remote.js').then((m) => m.registerRemote),
  profile: () => import('./commands/profile.js').then((m) => m.registerProfile),
  config: () => import('./commands/config.js').then((m) => m.registerConfig),
  info: () => import('./commands/info.js').then((m) => m.registerInfo),
  build: () => import('./commands/build.js').then((m) => m.registerBuild),
  setup: () => import('./commands/setup.js').then((m) => m.registerSetup),
  version: () => import('./commands/version.js').then((m) => m.registerVersion),
  completion: () => import('./commands/completion.js').then((m) => m.registerCompletion),
  tui: () => import('./commands/tui.js').then((m) => m.registerTui),
  monitor: () => import('./commands/monitor.js').then((m) => m.registerMonitor),
  audit: () => import('./commands/audit.js').then((m) => m.registerAudit),
  top: () => import('./commands/top.js').then((m) => m.registerTop),
  logs: () => import('./commands/logs.js').then((m) => m.registerLogs),
  schema: () => import('./commands/schema.js').then((m) => m.registerSchema),
  validate: () => import('./commands/validate.js').then((m) => m.registerValidate),
  trust: () => import('./commands/trust.js').then((m) => m.registerTrust),
  untrust: () => import('./commands/trust.js').then((m) => m.registerUntrust),
  update: () => import('./commands/update.js').then((m) => m.registerUpdate),
} satisfies Record<string, () => Promise<Register>>;

export type CommandName = keyof typeof COMMANDS;

/** The commands' own aliases (`coi close`), each defined with the command it names. */
const ALIASES: Record<string, CommandName> = { close: 'shutdown', resume: 'unfreeze' };

/** Commands that walk the whole tree when they run, so need every command defined. */
const NEEDS_ALL: readonly CommandName[] = ['completion'];

/** The top-level command `word` names, itself or by its alias, if any. */
export function commandNamed(word: string): CommandName | undefined {
  if (Object.hasOwn(COMMANDS, word)) return word as CommandName;
  return ALIASES[word];
}

/** The whole `coi` command tree (help walks, completion, tests). */
export async function buildProgram(): Promise<Command> {
  return programWith(Object.keys(COMMANDS) as CommandName[]);
}

/**
 * The one command `argv` needs defined, when its first word names one; undefined (bare `coi`, a
 * container alias, a mistyped command, help) when it needs all of them, for the default command
 * and the did-you-mean.
 */
export function soleCommand(argv: readonly string[]): CommandName | undefined {
  const args = argv.slice(2);
  const word = commandWord(args, (w) => commandNamed(w) !== undefined);
  const name = word === undefined ? undefined : commandNamed(word);
  const help = args.some((a) => a === '-h' || a === '--help');
  return name && !help && !NEEDS_ALL.includes(name) ? name : undefined;
}

/** The tree `argv` needs: its sole command (see soleCommand), else all of them. */
export async function programFor(argv: readonly string[]): Promise<Command> {
  const name = soleCommand(argv);
  return name ? programWith([name]) : buildProgram();
}

async function programWith(names: readonly CommandName[]): Promise<Command> {
  const registers = await Promise.all(names.map((name) => COMMANDS[name]()));
  const program = new Command('coi')
    .description('coi — AI coding agents in hardened Incus system containers, with a control room')
    .version(`Coi (Code on Incus) ${COI_VERSION}`, '--version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  addGlobalOptions(program).hook('preSubcommand', async (root, command) => {
    // A tree of one command was defined because the first word named it.
    if (names.length > 1)
      (await import('./unknown-command.js')).rejectUnknownCommand(root, command);
    passGlobalFlags(root, command);
  });
  for (const register of registers) register(program);
  // A leaf command shows its help for --help only, which takes the whole tree; a group shows it
  // when called without its subcommand too.
  if (program.commands.some((c) => c.commands.length > 0) || names.length > 1) {
    const { applyHelp } = await import('./help/apply-help.js');
    applyHelp(program);
  }
  return program;
}
