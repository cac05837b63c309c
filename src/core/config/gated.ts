import { displayPath, isInside, realPath } from './paths.js';
import type { ConfigLayer } from './schema.js';

/**
 * What a workspace file may ask for only once the user approved it with `coi trust`: it reaches
 * the host (a host socket, host credentials, host paths outside the workspace, host ports), so it
 * is not dropped for good like a protection it may not remove, but held back until approved.
 */

/** Top-level keys gated whole: any value of theirs reaches the host. */
const GATED_KEYS = ['sockets', 'credentials', 'ports'] as const;

/** One gated setting of one file. */
export interface GatedEntry {
  /** Dotted key path: `sockets`, `mounts.default[2]`. */
  key: string;
  /** How a message names it: `sockets[0] (host "/run/docker.sock")`. */
  shown: string;
  /** The host paths it uses, symlinks resolved: a re-pointed symlink needs approval again. */
  hosts: string[];
}

export interface GatedContext {
  home: string;
  workspace: string;
}

/** The gated settings of a (normalized) layer, in the order of its keys. */
export function gatedEntries(data: ConfigLayer, ctx: GatedContext): GatedEntry[] {
  const entries: GatedEntry[] = [];
  const shownHost = (host: string) => JSON.stringify(displayPath(host, ctx.home));
  const workspace = realPath(ctx.workspace);
  (data.mounts?.default ?? []).forEach((mount, index) => {
    const host = realPath(mount.host);
    if (isInside(host, workspace)) return;
    const key = `mounts.default[${index}]`;
    entries.push({ key, shown: `${key} (host ${shownHost(mount.host)})`, hosts: [host] });
  });
  for (const name of GATED_KEYS) {
    const value: unknown = data[name];
    if (value === undefined || (Array.isArray(value) && value.length === 0) || noPorts(value))
      continue;
    const list: unknown[] = Array.isArray(value) ? value : [value];
    list.forEach((item, index) => {
      const key = Array.isArray(value) ? `${name}[${index}]` : name;
      const hosts = hostsOf(item);
      const shown = hosts.length > 0 ? ` (host ${hosts.map(shownHost).join(', ')})` : '';
      entries.push({ key, shown: `${key}${shown}`, hosts: hosts.map(realPath) });
    });
  }
  return entries;
}

/** The layer without its gated settings; what stays applies as usual. */
export function withoutGated<T extends ConfigLayer>(data: T, entries: GatedEntry[]): T {
  const out = structuredClone(data);
  const dropped = new Set(entries.map((e) => e.key));
  const mounts = out.mounts?.default;
  if (mounts) {
    const kept = mounts.filter((_, index) => !dropped.has(`mounts.default[${index}]`));
    // Dropping every entry must not turn into "no mounts" replacing the user's own list.
    if (kept.length > 0) out.mounts!.default = kept;
    else delete out.mounts!.default;
  }
  for (const name of GATED_KEYS) {
    if (entries.some((e) => e.key === name || e.key.startsWith(`${name}[`))) delete out[name];
  }
  return out;
}

/** `[ports]` that publishes nothing (`pool = 0`, no map) asks nothing of the host. */
function noPorts(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const ports = value as { pool?: number; map?: unknown[] };
  return (ports.pool ?? 0) === 0 && (ports.map?.length ?? 0) === 0;
}

function hostsOf(item: unknown): string[] {
  if (item === null || typeof item !== 'object' || !('host' in item)) return [];
  const host = item.host;
  if (typeof host === 'string') return [host];
  return Array.isArray(host) ? host.filter((h): h is string => typeof h === 'string') : [];
}
