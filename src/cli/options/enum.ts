import { Option } from '../commander.js';
import { usageError } from '../errors.js';

/** `a`, `a or b`, `a, b or c`. */
function orList(values: readonly string[]): string {
  return values.length <= 1
    ? values.join('')
    : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/**
 * `value` if it is one of `allowed`; otherwise the usage error worded the way users search for it:
 * `invalid format "xml" (use text or json)`.
 */
export function enumChoice<T extends string>(
  name: string,
  value: string,
  allowed: readonly T[],
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(`invalid ${name} "${value}" (use ${orList(allowed)})`);
}

/**
 * A flag that takes one of `allowed`, checked while the command line is parsed, so a wrong value is
 * reported before the command does anything. Help and completion list the choices.
 */
export function enumOption(flags: string, description: string, allowed: readonly string[]): Option {
  const option = new Option(flags, description).choices(allowed);
  return option.argParser((value: string) => enumChoice(option.name(), value, allowed));
}
