import { Option } from '../commander.js';
import { usageError } from '../errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkPair(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq <= 0 || !NAME.test(pair.slice(0, eq)))
    throw usageError(`invalid env "${pair}" (use KEY=VALUE, KEY a shell variable name)`);
  return pair;
}

/** A repeatable `KEY=VALUE` flag, each pair checked as it is parsed. */
export function envOption(flags: string, description: string): Option {
  return new Option(flags, description)
    .argParser((pair: string, previous: string[]) => [...previous, checkPair(pair)])
    .default([]);
}

/** The pairs of an `envOption` as a map; a value may hold "=" and a later pair wins. */
export function envMap(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = checkPair(pair).indexOf('=');
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}
