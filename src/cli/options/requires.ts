import { usageError } from '../errors.js';

/** A flag that means nothing without another one: `--format requires --capture`. */
export function flagRequires(flag: string, needed: string) {
  return usageError(`${flag} requires ${needed}`);
}
