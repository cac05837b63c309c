import { globalOptions } from './options/global.js';

/**
 * The command's name in `args` (argv without node and the script), when the root's own options
 * before it are all global flags: `coi -w DIR --slot=2 shell` gives `shell`. Undefined when there is
 * no word, or when something before it (help, --version, an unknown option, `--`) is not a global
 * flag, or when an optional value would take a command's name (`coi --resume shell`): those runs
 * need the whole tree. `isCommand` tells a command's name.
 */
export function commandWord(
  args: readonly string[],
  isCommand: (word: string) => boolean,
): string | undefined {
  const options = Object.values(globalOptions).map((make) => make());
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) return arg;
    const [flag] = arg.split('=', 1) as [string];
    const option = options.find((o) => o.long === flag || o.short === flag);
    if (!option) {
      // `-wDIR`: a short flag with its value attached.
      if (options.some((o) => o.required && o.short && arg.startsWith(o.short))) continue;
      return undefined;
    }
    if (arg.includes('=') || !(option.required || option.optional)) continue;
    const next = args[i + 1];
    if (option.required) i++;
    else if (next !== undefined && !next.startsWith('-')) {
      if (isCommand(next)) return undefined;
      i++;
    }
  }
  return undefined;
}
