/**
 * What `coi clean` removes, decided before anything is touched so `--dry-run` can print exactly
 * what a real run would do.
 */

export interface CleanFlags {
  all?: boolean;
  sessions?: boolean;
  orphans?: boolean;
  pools?: boolean;
}

/** The kinds of things one run looks at. Leftovers of gone containers are always among them. */
export interface CleanScope {
  stopped: boolean;
  sessions: boolean;
  pools: boolean;
}

/**
 * No flag: stopped containers (and leftovers). `--sessions` adds saved sessions; `--orphans` and
 * `--pools` ask for only their own kind; `--all` is everything.
 */
export function cleanScope(flags: CleanFlags): CleanScope {
  if (flags.all) return { stopped: true, sessions: true, pools: true };
  return {
    stopped: !flags.orphans && !flags.pools,
    sessions: !!flags.sessions,
    pools: !!flags.pools,
  };
}

export interface PoolContainers {
  pool: string;
  containers: string[];
}

export interface CleanPlan {
  /** Stopped coi containers. */
  stopped: string[];
  /** Saved session ids (all of them: `--sessions` wipes the store). */
  sessions: string[];
  /** Containers that are gone but whose host path locks are still recorded. */
  locks: string[];
  /** Addresses with objects in coi's nft table that no instance holds. */
  firewall: string[];
  /** Incus veths without a bridge. */
  veths: string[];
  /** coi containers in storage pools no loaded config or profile refers to. */
  pools: PoolContainers[];
  /** Sources that could not be read, so what they would have found is not in the plan. */
  warnings: string[];
}

export function planSize(plan: CleanPlan): number {
  return (
    plan.stopped.length +
    plan.sessions.length +
    plan.locks.length +
    plan.firewall.length +
    plan.veths.length +
    plan.pools.reduce((n, p) => n + p.containers.length, 0)
  );
}

export interface PooledContainer {
  name: string;
  /** '' when the root disk's pool is not known. */
  pool: string;
}

/**
 * coi containers in pools that nothing refers to, grouped by pool (`--pools`). `referenced` holds
 * the `storage_pool` of the config and of every profile; "" there means the pool of Incus's
 * default profile. Containers already planned as stopped are left out so nothing counts twice.
 */
export function unreferencedPools(
  containers: PooledContainer[],
  referenced: ReadonlySet<string>,
  defaultPool: string | undefined,
  alreadyPlanned: ReadonlySet<string> = new Set(),
): PoolContainers[] {
  const used = new Set([...referenced].map((p) => p || defaultPool || ''));
  const byPool = new Map<string, string[]>();
  for (const c of containers) {
    if (!c.pool || used.has(c.pool) || alreadyPlanned.has(c.name)) continue;
    byPool.set(c.pool, [...(byPool.get(c.pool) ?? []), c.name]);
  }
  return [...byPool.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([pool, names]) => ({ pool, containers: names.sort() }));
}

/** Lock records whose container no longer exists (any instance name counts as existing). */
export function staleLocks(lockOwners: string[], instances: ReadonlySet<string>): string[] {
  return lockOwners.filter((name) => !instances.has(name)).sort();
}
