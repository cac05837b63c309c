import type { InstanceFull } from '../../incus/instance-types.js';
import { run } from '../../shared/run.js';

/** A veth interface of the host network namespace, as `ip -j link show type veth` lists it. */
export interface VethLink {
  name: string;
  /** The bridge it is enslaved to; undefined when none. */
  master?: string;
}

/** Incus names the host side of a container NIC `veth` and 8 hex digits. */
const INCUS_VETH = /^veth[0-9a-f]{8}$/;

/** Reads `ip -j link show type veth`. */
export function parseVeths(json: string): VethLink[] {
  const links: unknown = JSON.parse(json || '[]');
  if (!Array.isArray(links)) throw new Error('`ip -j link` did not print a JSON array');
  return links.flatMap((link: { ifname?: unknown; master?: unknown }) =>
    typeof link.ifname === 'string'
      ? [{ name: link.ifname, ...(typeof link.master === 'string' ? { master: link.master } : {}) }]
      : [],
  );
}

/** The host-side veth of every NIC of the given instances (running ones have one). */
export function instanceVeths(instances: Pick<InstanceFull, 'state'>[]): Set<string> {
  const names = new Set<string>();
  for (const instance of instances)
    for (const nic of Object.values(instance.state?.network ?? {}))
      if (nic.host_name) names.add(nic.host_name);
  return names;
}

/**
 * Veths Incus made that lost their bridge (`coi clean --orphans`): named like Incus's, enslaved to
 * no master, and not the NIC of any instance. Veths of other software keep their own names and
 * are never touched.
 */
export function orphanedVeths(links: VethLink[], inUse: ReadonlySet<string>): string[] {
  return links
    .filter((l) => INCUS_VETH.test(l.name) && l.master === undefined && !inUse.has(l.name))
    .map((l) => l.name)
    .sort();
}

export async function listVeths(): Promise<VethLink[]> {
  return parseVeths(await run('ip', ['-j', 'link', 'show', 'type', 'veth']));
}

/**
 * Deletes a veth (its peer goes with it) if it is still without a master; false when it is gone
 * or was enslaved again since it was planned.
 */
export async function deleteVeth(name: string): Promise<boolean> {
  const still = (await listVeths()).find((l) => l.name === name);
  if (!still || still.master !== undefined) return false;
  await run('ip', ['link', 'delete', name]);
  return true;
}
