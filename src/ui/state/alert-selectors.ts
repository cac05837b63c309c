import { maxSeverity } from './severity.js';
import type { TuiState } from './store.js';
import type { Severity, SlotInstance, ThreatAlert } from './types.js';
import { matchesAlert, type Filter } from './filter.js';

export type SeverityCounts = Record<Severity, number>;

/**
 * Computes a result once per alert list. The store replaces the array whenever an alert arrives
 * or is acknowledged, so its identity is its version: the frames in between (metrics, selection,
 * status) reuse the result instead of walking 10,000 alerts again. Results must not be mutated.
 */
function perAlertList<T>(
  compute: (alerts: readonly ThreatAlert[]) => T,
): (alerts: readonly ThreatAlert[]) => T {
  const cache = new WeakMap<readonly ThreatAlert[], T>();
  return (alerts) => {
    if (!cache.has(alerts)) cache.set(alerts, compute(alerts));
    return cache.get(alerts)!;
  };
}

export const unackedCounts = perAlertList(countUnacked);

function countUnacked(alerts: readonly ThreatAlert[]): SeverityCounts {
  const counts: SeverityCounts = { info: 0, warning: 0, high: 0, critical: 0 };
  for (const a of alerts) if (!a.acknowledged) counts[a.severity]++;
  return counts;
}

/** Highest unacknowledged severity per container name. */
export const badgesByContainer = perAlertList((alerts): Map<string, Severity> => {
  const badges = new Map<string, Severity>();
  for (const a of alerts) {
    if (a.acknowledged) continue;
    const current = maxSeverity(badges.get(a.container), a.severity);
    if (current) badges.set(a.container, current);
  }
  return badges;
});

/** Highest unacknowledged severity per workspace (includes alerts of containers already gone). */
export const badgesByWorkspace = perAlertList((alerts): Map<string, Severity> => {
  const badges = new Map<string, Severity>();
  for (const a of alerts) {
    if (a.acknowledged) continue;
    const current = maxSeverity(badges.get(a.workspace), a.severity);
    if (current) badges.set(a.workspace, current);
  }
  return badges;
});

const lastVisible = new WeakMap<readonly ThreatAlert[], { key: string; result: ThreatAlert[] }>();

/** Alert queue as shown: newest first, narrowed by the filter (cached per list and filter). */
export function visibleAlerts(alerts: readonly ThreatAlert[], filter: Filter): ThreatAlert[] {
  const key = JSON.stringify(filter);
  const cached = lastVisible.get(alerts);
  if (cached?.key === key) return cached.result;
  const result = filterAlerts(alerts, filter);
  lastVisible.set(alerts, { key, result });
  return result;
}

function filterAlerts(alerts: readonly ThreatAlert[], filter: Filter): ThreatAlert[] {
  const everything =
    filter.minSeverity === undefined && filter.workspaces.length === 0 && filter.words.length === 0;
  if (everything) return alerts.slice().reverse();
  const out: ThreatAlert[] = [];
  for (let i = alerts.length - 1; i >= 0; i--) {
    const a = alerts[i];
    if (a && matchesAlert(filter, a)) out.push(a);
  }
  return out;
}

/**
 * Containers the bulk actions target: those with an unacknowledged alert of warning or above, or
 * frozen by the threat responder.
 */
export function flaggedInstances(state: Pick<TuiState, 'instances' | 'alerts'>): SlotInstance[] {
  const badges = badgesByContainer(state.alerts);
  return Object.values(state.instances)
    .filter((i) => i.frozenByThreat || (badges.get(i.name) ?? 'info') !== 'info')
    .sort((a, b) => a.name.localeCompare(b.name));
}
