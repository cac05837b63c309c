import type { Origin, Origins } from './merge.js';
import type { Config } from './schema.js';

export interface EffectiveEntry {
  key: string;
  value: unknown;
  /** Undefined for keys no layer set (optional keys left out). */
  origin: Origin | undefined;
}

/**
 * The effective config flattened to one entry per key, in schema order, for
 * `coi config show` / `coi profile show`. Environment tables give one entry per variable.
 */
export function effectiveEntries(config: Config, origins: Origins): EffectiveEntry[] {
  const entries: EffectiveEntry[] = [];
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (value !== null && typeof value === 'object' && !Array.isArray(value))
        walk(value as Record<string, unknown>, path);
      else entries.push({ key: path, value, origin: origins[path] });
    }
  };
  walk(config, '');
  return entries;
}
