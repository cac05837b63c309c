import { Option, type Command } from '../commander.js';
import { usageError } from '../errors.js';
import { slotOption } from './slot.js';

/**
 * The Go coi's persistent flags: they go before the command (`coi -w DIR --slot 2 shell`) or after
 * it. Commands that take one define it with the same factory.
 */
export const globalOptions = {
  workspace: (description = 'workspace directory to mount at /workspace') =>
    new Option('-w, --workspace <dir>', description).default('.'),
  slot: slotOption,
  resume: () =>
    new Option('--resume [id]', 'resume the newest (or the given) saved session of this workspace'),
  continue: () => new Option('--continue [id]', 'same as --resume'),
  profile: () => new Option('--profile <name>', 'apply a profile'),
  remote: () =>
    new Option(
      '--remote <name>',
      'work against this remote of the incus client config instead of this host (default: [incus] remote)',
    ),
};

/** Declares the global flags on the root; its own options then end at the command's name. */
export function addGlobalOptions(program: Command): Command {
  program.enablePositionalOptions();
  for (const option of Object.values(globalOptions)) program.addOption(option());
  return program;
}

/**
 * Hands the global flags given before the command's name to the command, as if given after it (a
 * flag given after it still wins). A group (`coi --profile P config show`) hands them on to its
 * subcommand; a command that takes none of them says so rather than ignoring it.
 */
export function passGlobalFlags(root: Command, command: Command): void {
  const given = root.options.filter(
    (o) =>
      o.attributeName() in globalOptions && root.getOptionValueSource(o.attributeName()) === 'cli',
  );
  for (const option of given) {
    // `coi --resume shell`: an optional value swallows the next word, here the command's name.
    const value = root.getOptionValue(option.attributeName()) as unknown;
    if (option.optional && typeof value === 'string' && isCommand(root, value))
      throw usageError(
        `${option.long} took "${value}" for its value: put it after the command (\`coi ${value} ${option.long}\`)`,
      );
  }
  handOn(
    command,
    given.map((o) => ({ option: o, value: root.getOptionValue(o.attributeName()) as unknown })),
  );
}

function handOn(command: Command, flags: { option: Option; value: unknown }[]): void {
  const rest = flags.filter(({ option, value }) => {
    const key = option.attributeName();
    if (!command.options.some((o) => o.attributeName() === key)) return true;
    command.setOptionValueWithSource(key, value, 'cli');
    return false;
  });
  if (rest.length === 0) return;
  // The subcommand is known only once the group has parsed its own arguments.
  if (command.commands.length > 0) {
    command.hook('preSubcommand', (_group, sub) => handOn(sub, rest));
    return;
  }
  throw usageError(
    `${rest.map(({ option }) => option.long).join(', ')} does not apply to \`${commandPath(command)}\``,
  );
}

function isCommand(root: Command, word: string): boolean {
  return root.commands.some((c) => c.name() === word || c.aliases().includes(word));
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
