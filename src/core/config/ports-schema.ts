import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * `[ports]`: container TCP ports published on the host, as the Go coi writes them. `pool` asks
 * for that many identity-mapped ports (the same number on both sides), `[[ports.map]]` for named
 * ones; both are allocated from the slot's block of PORT_BLOCK host ports unless `host` pins one.
 */

/** Host ports a slot can be given automatically (pool + unpinned map entries). */
export const PORT_BLOCK = 10;

const port = z.int().min(1).max(65535);

/** What device and variable names are made of: names equal under it would collide there. */
export function portNameKey(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/** The pool's own devices are `coi-port-pool-<n>`. */
const POOL_NAME = /^pool-\d+$/;

const portName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'a letter, then letters, digits, "-" or "_" (at most 32)')
  .refine(
    (name) => !POOL_NAME.test(portNameKey(name)),
    'a name other than "pool-<n>" (the pool’s)',
  );

const portMapSchema = z.strictObject({
  /** Exported as COI_PORT_<NAME> (upper-cased, "-" as "_"). */
  name: portName,
  /** The TCP port a service listens on inside the container. */
  container: port,
  /** The host port; 0 or left out: allocated from the slot's block. */
  host: z.int().min(0).max(65535).optional(),
  /** Host address the port listens on. */
  listen: z
    .string()
    .refine((v) => isIP(v) !== 0, 'an IP address such as "127.0.0.1" or "0.0.0.0"')
    .default('127.0.0.1'),
});

/** Names and pinned host ports are each used once; the issue names the later entry. */
const portMapList = z.array(portMapSchema).superRefine((entries, ctx) => {
  const names = new Map<string, number>();
  const hosts = new Map<number, number>();
  entries.forEach((entry, index) => {
    const sameName = names.get(portNameKey(entry.name));
    if (sameName !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `a name no other entry has (ports.map[${sameName}] is ${JSON.stringify(entries[sameName]!.name)}; names are compared ignoring case, "-" and "_")`,
      });
    } else names.set(portNameKey(entry.name), index);
    if (!entry.host) return;
    const sameHost = hosts.get(entry.host);
    if (sameHost !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'host'],
        message: `a host port no other entry uses (ports.map[${sameHost}] "${entries[sameHost]!.name}" publishes on it)`,
      });
    } else hosts.set(entry.host, index);
  });
});

export const portsSchema = z.strictObject({
  /** Identity-mapped ports (host port == container port), listed in COI_PORTS. */
  pool: z.int().min(0).max(PORT_BLOCK),
  map: portMapList,
});

export type PortsConfig = z.infer<typeof portsSchema>;
export type PortMapEntry = z.infer<typeof portMapSchema>;
