import type { CleanPlan, PoolContainers } from './plan.js';

const list = (title: string, items: string[], indent = ''): string[] =>
  items.length
    ? [`${indent}${title} (${items.length}):`, ...items.map((i) => `${indent}  - ${i}`)]
    : [];

/** The leftovers part of a plan, one section per kind; empty when there are none. */
export function describeLeftovers(plan: Pick<CleanPlan, 'locks' | 'firewall' | 'veths'>): string[] {
  const body = [
    ...list('Host path locks of gone containers', plan.locks, '  '),
    ...list('Firewall rules of addresses no container holds', plan.firewall, '  '),
    ...list('Orphaned veth interfaces', plan.veths, '  '),
  ];
  return body.length ? ['Leftovers of containers that are gone:', ...body] : [];
}

/** The warning and listing shown before containers in unreferenced pools are deleted. */
export function describePools(pools: PoolContainers[]): string[] {
  if (pools.length === 0) return [];
  return [
    'WARNING: these pools may still be used by profiles of other projects on this machine that',
    'coi cannot see from here; cleaning them affects every project whose profile points there.',
    ...pools.flatMap((p) => [
      `Pool "${p.pool}" is not referenced by any config or profile loaded in this directory.`,
      ...list(`coi containers in "${p.pool}"`, p.containers, '  '),
    ]),
  ];
}

/** Everything a run would remove, as `coi clean --dry-run` prints it. */
export function describePlan(plan: CleanPlan): string[] {
  return [
    ...list('Stopped containers', plan.stopped),
    ...list('Saved sessions', plan.sessions),
    ...describeLeftovers(plan),
    ...describePools(plan.pools),
  ];
}
