import type { CommandName } from './program.js';

/**
 * The commands that must start in a blink. scripts/bundle-start-up.mjs bundles this module into
 * dist/start-up.cjs, one CommonJS file with all these commands load but the other packages:
 * Node 20's ES-module loader costs about a millisecond a file, a third of `coi list`'s start-up.
 * bin/coi.js runs every other command from the ES modules of dist/, which this bundle never mixes
 * with (a class of the bundle is not the same class in them).
 */
export const BUNDLED_COMMANDS: readonly CommandName[] = ['list', 'version'];

/** Whether `argv` runs a bundled command (checked on the words first, to load nothing for most). */
export async function runsBundled(argv: readonly string[]): Promise<boolean> {
  if (!argv.some((word) => (BUNDLED_COMMANDS as readonly string[]).includes(word))) return false;
  const name = (await import('./program.js')).soleCommand(argv);
  return name !== undefined && BUNDLED_COMMANDS.includes(name);
}

export async function main(argv: string[]): Promise<number> {
  return (await import('./main.js')).main(argv);
}
