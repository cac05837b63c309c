import { Option } from '../commander.js';
import { MAX_SLOTS } from '../../shared/naming.js';
import { usageError } from '../errors.js';

/** A `--slot` value: 1 to MAX_SLOTS (leaving the flag out picks the lowest free slot). */
export function parseSlot(value: string): number {
  const slot = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(slot >= 1 && slot <= MAX_SLOTS))
    throw usageError(
      `invalid slot "${value}" (use 1 to ${MAX_SLOTS}, or leave out --slot for the lowest free one)`,
    );
  return slot;
}

export function slotOption(description = `slot 1-${MAX_SLOTS} (default: the lowest free)`): Option {
  return new Option('--slot <n>', description).argParser(parseSlot);
}
