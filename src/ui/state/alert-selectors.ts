import { maxSeverity } from './severity.js';
import type { TuiState } from './store.js';
import type { Severity, SlotInstance, ThreatAlert } from './types.js';
import { matchesAlert, type Filter } from './filter.js';

export type SeverityCounts = Record<Severity, number>;

export function unackedCounts(alerts: readonly ThreatAlert[]): SeverityCounts {
  const counts: SeverityCounts = { info: 0, warning: 0, high: 0, critical: 0 };
  for (const a of alerts) if (!a.acknowledged) counts[a.severity]++;
  return counts;
}

/** Highest unacknowledged severity per container name. */
export function badgesByContainer(alerts: readonly ThreatAlert[]): Map<string, Severity> {
  const badges = new Map<string, Severity>();
  for (const a of alerts) {
    if (a.acknowledged) continue;
    const current = maxSeverity(badges.get(a.container), a.severity);
    if (current) badges.set(a.container, current);
  }
  return badges;
}

/** Highest unacknowledged severity per workspace (includes alerts of containers already gone). */
export function badgesByWorkspace(alerts: readonly ThreatAlert[]): Map<string, Severity> {
  const badges = new Map<string, Severity>();
  for (const a of alerts) {
    if (a.acknowledged) continue;
    const current = maxSeverity(badges.get(a.workspace), a.severity);
    if (current) badges.set(a.workspace, current);
  }
  return badges;
}

/** Alert queue as shown: newest first, narrowed by the filter. */
export function visibleAlerts(alerts: readonly ThreatAlert[], filter: Filter): ThreatAlert[] {
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
