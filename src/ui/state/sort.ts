import { severityRank } from './severity.js';
import type { InstanceMetrics, Severity, SlotInstance } from './types.js';
import type { SortKey } from './ui-types.js';

export interface SortableSlot {
  instance: SlotInstance;
  metrics?: InstanceMetrics;
  badge?: Severity;
}

type Compare = (a: SortableSlot, b: SortableSlot) => number;

const bySlot: Compare = (a, b) => a.instance.slot - b.instance.slot;
const desc =
  (value: (s: SortableSlot) => number): Compare =>
  (a, b) =>
    value(b) - value(a);

const COMPARE: Record<SortKey, Compare> = {
  slot: bySlot,
  name: (a, b) => a.instance.name.localeCompare(b.instance.name),
  cpu: desc((s) => s.metrics?.cpuPercent ?? -1),
  memory: desc((s) => s.metrics?.memoryUsedBytes ?? -1),
  alert: desc((s) => (s.badge ? severityRank(s.badge) : -1)),
  // Oldest start first = longest uptime first; never-started last.
  uptime: (a, b) => (a.instance.startedAt ?? Infinity) - (b.instance.startedAt ?? Infinity),
};

/** Sorts slots within a workspace; ties fall back to slot number so the order is stable. */
export function sortSlots<T extends SortableSlot>(slots: T[], key: SortKey): T[] {
  const compare = COMPARE[key];
  return [...slots].sort((a, b) => compare(a, b) || bySlot(a, b));
}
