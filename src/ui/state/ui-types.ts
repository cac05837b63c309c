import type { SlotViewKind } from '../../core/control-room/slot-view-types.js';

/** Presentation state (selection, overlays, filter) kept in the same store as the domain data. */

export type Pane = 'slots' | 'alerts';

export type SortKey = 'slot' | 'name' | 'cpu' | 'memory' | 'alert' | 'uptime';

export const SORT_KEYS: readonly SortKey[] = ['slot', 'name', 'cpu', 'memory', 'alert', 'uptime'];

export interface ConfirmRequest {
  title: string;
  lines: string[];
  confirmLabel: string;
  /** When set, the user must type exactly this text before Enter confirms (bulk kill). */
  typeToConfirm?: string;
  onConfirm: () => void;
}

export interface ConfirmState {
  request: ConfirmRequest;
  /** Which button has focus; always starts on cancel. */
  focused: 'cancel' | 'confirm';
  typed: string;
  /** The slot view the dialog was opened from, shown again when it closes. */
  returnTo?: SlotViewOverlay;
}

/** The slot view open under the overlay: the overlay itself, or the one a dialog returns to. */
export function openSlotViewOf(overlay: Overlay): SlotViewOverlay | undefined {
  if (overlay.kind === 'slot-view') return overlay;
  return overlay.kind === 'confirm' ? overlay.confirm.returnTo : undefined;
}

export type Overlay =
  | { kind: 'none' }
  | { kind: 'help'; scroll: number }
  | { kind: 'alert-detail'; alertId: string }
  | { kind: 'confirm'; confirm: ConfirmState }
  | SlotViewOverlay;

/** Which part of the logs view is shown: the session log, or the audit records. */
export type LogsTab = 'session' | 'audit';

/** One of the per-slot views (processes, details, logs, snapshots) of `container`. */
export interface SlotViewOverlay {
  kind: 'slot-view';
  view: SlotViewKind;
  container: string;
  /** Selected row (processes, snapshots, audit records) or first line shown (details, log). */
  selected: number;
  /** The selected row's identity (pid, snapshot name, record id): it stays selected as rows move. */
  selectedKey?: string;
  logsTab: LogsTab;
  /** The session log stays on its newest line as lines arrive. */
  follow: boolean;
}

export interface FilterState {
  text: string;
  /** True while the filter field has keyboard focus. */
  editing: boolean;
}

export interface UiState {
  focus: Pane;
  /** Key of the selected tree row (`ws:<name>` or `slot:<container>`). */
  selectedRowKey?: string;
  selectedAlertId?: string;
  collapsed: Record<string, boolean>;
  filter: FilterState;
  sort: SortKey;
  overlay: Overlay;
  /** Container whose terminal pane owns the keyboard; raw bytes pass through while set. */
  attached?: string;
  /** The terminal pane takes the whole screen. */
  zoomed: boolean;
}
