import { isIpv4 } from '../../shared/ipv4.js';
import { renderRemoval } from './container.js';
import {
  DISPATCH_MAP,
  DNS_REDIRECT_SET,
  REFUSE_CHAIN,
  TABLE_FAMILY,
  TABLE_NAME,
  ipOfObject,
} from './names.js';
import { PROXY_DISPATCH_MAP } from './proxy.js';

/**
 * Reconciliation: which containers still have rules in coi's table although they no longer run
 * (crash, killed daemon, DHCP lease handed to someone else). Input is `nft -j list table inet coi`.
 */

export interface TableContents {
  /** Every container IPv4 that owns a chain, a set or a map element. */
  containers: Set<string>;
  /** Whether the shared chains (forward, input, prerouting, refuse) are present. */
  baseChains: boolean;
}

export interface ReconcilePlan {
  stale: string[];
  /** One batch removing every stale container, or "" when there is nothing to do. */
  batch: string;
}

export function planReconcile(listing: TableContents, liveIps: Iterable<string>): ReconcilePlan {
  const live = new Set(liveIps);
  const stale = [...listing.containers].filter((ip) => !live.has(ip)).sort();
  return { stale, batch: stale.map(renderRemoval).join('') };
}

/** Reads `nft -j list table inet coi` output. Throws with the reason when it is not such a listing. */
export function parseTableListing(json: string): TableContents {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new Error(`nft -j output is not JSON: ${(err as Error).message}`);
  }
  const items = isRecord(doc) && Array.isArray(doc.nftables) ? doc.nftables : undefined;
  if (!items) throw new Error('nft -j output has no "nftables" array');
  const containers = new Set<string>();
  const chains = new Set<string>();
  for (const item of items) {
    if (!isRecord(item)) continue;
    const [kind, body] = Object.entries(item)[0] ?? [];
    if (!isRecord(body) || !ours(body)) continue;
    const name = typeof body.name === 'string' ? body.name : '';
    if (kind === 'chain') chains.add(name);
    if (kind !== 'chain' && kind !== 'set' && kind !== 'map') continue;
    const owner = ipOfObject(name);
    if (owner) containers.add(owner);
    if (name === DISPATCH_MAP || name === DNS_REDIRECT_SET || name === PROXY_DISPATCH_MAP)
      for (const key of elementKeys(body.elem)) containers.add(key);
  }
  const baseChains = ['forward', 'input', 'prerouting', REFUSE_CHAIN].every((c) => chains.has(c));
  return { containers, baseChains };
}

function ours(body: Record<string, unknown>): boolean {
  return body.family === TABLE_FAMILY && body.table === TABLE_NAME;
}

/** Keys of `"elem"`: plain addresses in sets, `[key, verdict]` pairs in maps. */
function elementKeys(elem: unknown): string[] {
  if (!Array.isArray(elem)) return [];
  return elem
    .map((e: unknown) => (Array.isArray(e) ? e[0] : e))
    .filter((key): key is string => typeof key === 'string' && isIpv4(key));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
