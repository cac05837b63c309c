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
}

export type Overlay =
  | { kind: 'none' }
  | { kind: 'help'; scroll: number }
  | { kind: 'alert-detail'; alertId: string }
  | { kind: 'confirm'; confirm: ConfirmState };

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
