import { usageError } from '../errors.js';

/**
 * Whether `word` names a container alias (`coi shell ALIAS`, `coi ALIAS`). coi has no alias
 * registry yet, so no word does; the registry's lookup goes here.
 */
export function isKnownAlias(_word: string): boolean {
  return false;
}

export function unknownAlias(word: string) {
  return usageError(
    `unknown alias "${word}": no container alias is registered (see \`coi --help\` for the commands)`,
  );
}
