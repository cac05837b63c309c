import { visibleAlerts } from './alert-selectors.js';
import { parseFilter, type ParsedFilter } from './filter.js';
import type { TuiState } from './store.js';
import { selectedIndex, treeRows, type TreeRow } from './tree.js';
import type { SlotInstance, ThreatAlert } from './types.js';

/** Everything the views and commands derive from one store snapshot. */
export interface View {
  parsed: ParsedFilter;
  rows: TreeRow[];
  rowIndex: number;
  alerts: ThreatAlert[];
  alertIndex: number;
}

export function deriveView(state: TuiState): View {
  const parsed = parseFilter(state.ui.filter.text);
  const rows = treeRows(state, parsed.filter);
  const alerts = visibleAlerts(state.alerts, parsed.filter);
  const alertPos = alerts.findIndex((a) => a.id === state.ui.selectedAlertId);
  return {
    parsed,
    rows,
    rowIndex: selectedIndex(rows, state.ui.selectedRowKey),
    alerts,
    alertIndex: alertPos < 0 ? 0 : alertPos,
  };
}

export function selectedRow(view: View): TreeRow | undefined {
  return view.rows[view.rowIndex];
}

export function selectedAlert(view: View): ThreatAlert | undefined {
  return view.alerts[view.alertIndex];
}

/** Workspace of the selection: the selected row's, or the selected alert's. */
export function selectedWorkspace(state: TuiState, view: View): string | undefined {
  if (state.ui.focus === 'alerts') return selectedAlert(view)?.workspace;
  const row = selectedRow(view);
  if (!row) return undefined;
  return row.kind === 'workspace' ? row.workspace : row.instance.workspace;
}

/** Container the per-container actions apply to: the selected slot, or the selected alert's. */
export function targetInstance(state: TuiState, view: View): SlotInstance | undefined {
  if (state.ui.focus === 'alerts') {
    const alert = selectedAlert(view);
    return alert ? state.instances[alert.container] : undefined;
  }
  const row = selectedRow(view);
  return row?.kind === 'slot' ? state.instances[row.instance.name] : undefined;
}
