import type {
  DetailSection,
  NetworkDecision,
  SlotProcess,
  SlotSnapshot,
} from '../../core/control-room/slot-view-types.js';
import { formatUptime } from '../format/units.js';
import type { TuiState } from './store.js';
import type { ThreatAlert } from './types.js';
import type { SlotViewOverlay } from './ui-types.js';

/** The open view's data, when it is of the view and container shown (never a stale one). */
function dataOf<V extends SlotViewOverlay['view']>(
  state: TuiState,
  open: SlotViewOverlay,
  view: V,
) {
  const data = state.slotView;
  if (!data || data.view !== view || data.container !== open.container) return undefined;
  return data as Extract<NonNullable<TuiState['slotView']>, { view: V }>;
}

export function slotProcesses(state: TuiState, open: SlotViewOverlay): SlotProcess[] | undefined {
  return dataOf(state, open, 'processes')?.processes;
}

export function slotNetwork(state: TuiState, open: SlotViewOverlay): NetworkDecision[] | undefined {
  return dataOf(state, open, 'network')?.decisions;
}

/** A decision's identity while it moves down the tail as newer ones arrive. */
function decisionKey(d: NetworkDecision): string {
  return `${d.time}|${d.source}|${d.verdict}|${d.name}|${d.address}|${d.port ?? ''}`;
}

export function slotSnapshots(state: TuiState, open: SlotViewOverlay): SlotSnapshot[] | undefined {
  return dataOf(state, open, 'snapshots')?.snapshots;
}

/** The details read from core, with the uptime (from the slot's start) in the first section. */
export function slotDetailSections(
  state: TuiState,
  open: SlotViewOverlay,
  now: number = Date.now(),
): DetailSection[] | undefined {
  const sections = dataOf(state, open, 'details')?.sections;
  const startedAt = state.instances[open.container]?.startedAt;
  if (!sections || startedAt === undefined) return sections;
  const [first, ...rest] = sections;
  if (!first) return sections;
  const uptime: [string, string] = ['Uptime', formatUptime(now - startedAt)];
  return [{ ...first, rows: [...first.rows, uptime] }, ...rest];
}

export function slotLogLines(state: TuiState, open: SlotViewOverlay): string[] | undefined {
  return dataOf(state, open, 'logs')?.lines;
}

/** The container's audit records (the alerts read from its audit log), newest first. */
export function slotAuditRecords(state: TuiState, container: string): ThreatAlert[] {
  const records: ThreatAlert[] = [];
  for (let i = state.alerts.length - 1; i >= 0; i--) {
    const alert = state.alerts[i]!;
    if (alert.container === container) records.push(alert);
  }
  return records;
}

export type DetailLine =
  { kind: 'title'; text: string } | { kind: 'row'; label: string; value: string };

/** The details panel as lines: a title line per section, then its rows. */
export function detailLines(sections: DetailSection[]): DetailLine[] {
  return sections.flatMap((s): DetailLine[] => [
    { kind: 'title', text: s.title },
    ...s.rows.map(([label, value]): DetailLine => ({ kind: 'row', label, value })),
  ]);
}

/** How many rows (or lines) the open view can move over. */
export function slotViewLength(state: TuiState, open: SlotViewOverlay): number {
  switch (open.view) {
    case 'processes':
      return slotProcesses(state, open)?.length ?? 0;
    case 'snapshots':
      return slotSnapshots(state, open)?.length ?? 0;
    case 'network':
      return slotNetwork(state, open)?.length ?? 0;
    case 'details':
      return detailLines(slotDetailSections(state, open) ?? []).length;
    case 'logs':
      return open.logsTab === 'audit'
        ? slotAuditRecords(state, open.container).length
        : (slotLogLines(state, open)?.length ?? 0);
  }
}

/** Identities of the view's rows, for views whose rows move between refreshes. */
export function slotViewRowKeys(state: TuiState, open: SlotViewOverlay): string[] | undefined {
  switch (open.view) {
    case 'processes':
      return slotProcesses(state, open)?.map((p) => String(p.pid));
    case 'snapshots':
      return slotSnapshots(state, open)?.map((s) => s.name);
    case 'network':
      return slotNetwork(state, open)?.map(decisionKey);
    case 'logs':
      return open.logsTab === 'audit'
        ? slotAuditRecords(state, open.container).map((r) => r.id)
        : undefined;
    case 'details':
      return undefined;
  }
}

/**
 * The selected row: the one with the selected key while it is there (a process re-sorted by CPU
 * stays selected), else the selected position clamped to what the view has now.
 */
export function clampedSelection(state: TuiState, open: SlotViewOverlay): number {
  const length = slotViewLength(state, open);
  if (open.view === 'logs' && open.follow) return open.logsTab === 'session' ? length - 1 : 0;
  // The network tail is newest first: following stays on the top row.
  if (open.view === 'network' && open.follow) return 0;
  const byKey =
    open.selectedKey === undefined
      ? -1
      : (slotViewRowKeys(state, open)?.indexOf(open.selectedKey) ?? -1);
  if (byKey >= 0) return byKey;
  return Math.max(0, Math.min(length - 1, open.selected));
}
