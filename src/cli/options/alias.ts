import { AliasRegistry, type AliasTarget } from '../../core/session/aliases.js';
import { coiDir } from '../context.js';
import { usageError } from '../errors.js';

const registry = () => new AliasRegistry(coiDir());

/** Whether `word` names a registered container alias (`coi shell ALIAS`, `coi ALIAS`). */
export function isKnownAlias(word: string): boolean {
  try {
    return registry().resolve(word) !== undefined;
  } catch {
    // An unreadable registry knows no alias here; `coi shell ALIAS` reports it.
    return false;
  }
}

/** The workspace (and slot) `coi shell ALIAS` launches, or a usage error naming the aliases. */
export function aliasTarget(word: string): AliasTarget {
  const reg = registry();
  const target = reg.resolve(word);
  if (target) return target;
  const known = Object.keys(reg.entries()).sort();
  throw usageError(
    `unknown alias "${word}": ${known.length ? `the registered container aliases are ${known.join(', ')}` : 'no container alias is registered yet'} ` +
      '(a session of a workspace whose config sets `[container] alias` registers it; see `coi --help` for the commands)',
  );
}
