import type { LayerKind, Layer } from './layer.js';
import { MAP_KEYS, UNION_KEYS } from './schema.js';

/** Which layer set an effective key. */
export interface Origin {
  layer: LayerKind;
  /** As shown to the user: `~/.coi/config.toml`, `built-in defaults`, `command line`, … */
  source: string;
  file?: string;
  profile?: string;
}

/**
 * Effective key → the layer that set it. Keys are scalar and list paths (`network.mode`,
 * `mounts.default`) and, for environment tables, one entry per variable
 * (`defaults.environment.EDITOR`).
 */
export type Origins = Record<string, Origin>;

type Table = Record<string, unknown>;

const mapKeys = new Set<string>(MAP_KEYS);
const unionKeys = new Set<string>(UNION_KEYS);

/**
 * Applies layers in order: tables merge key by key, lists replace (union lists accumulate),
 * environment tables merge per variable where "" removes the variable.
 */
export function mergeLayers(layers: readonly Layer[]): { merged: Table; origins: Origins } {
  const merged: Table = {};
  const origins: Origins = {};
  for (const layer of layers) {
    const { kind, label, file, profile } = layer.source;
    const origin: Origin = {
      layer: kind,
      source: label,
      ...(file === undefined ? {} : { file }),
      ...(profile === undefined ? {} : { profile }),
    };
    mergeTable(merged, layer.data as Table, '', origin, origins);
  }
  return { merged, origins };
}

function mergeTable(
  target: Table,
  source: Table,
  prefix: string,
  origin: Origin,
  origins: Origins,
) {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (mapKeys.has(path)) {
      const map = (target[key] ??= {}) as Record<string, string>;
      for (const [name, entry] of Object.entries(value as Record<string, string>)) {
        if (entry === '') {
          delete map[name];
          delete origins[`${path}.${name}`];
        } else {
          map[name] = entry;
          origins[`${path}.${name}`] = origin;
        }
      }
    } else if (unionKeys.has(path)) {
      const list = [...((target[key] as unknown[] | undefined) ?? [])];
      for (const item of value as unknown[]) if (!list.includes(item)) list.push(item);
      target[key] = list;
      if ((value as unknown[]).length > 0 || !origins[path]) origins[path] = origin;
    } else if (isTable(value)) {
      const inner = isTable(target[key]) ? (target[key] as Table) : (target[key] = {});
      mergeTable(inner as Table, value, path, origin, origins);
    } else {
      target[key] = structuredClone(value);
      origins[path] = origin;
    }
  }
}

function isTable(value: unknown): value is Table {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
