import type { Layout } from '../layout/layout.js';
import { terminalInner, terminalRect } from '../layout/layout.js';
import { contains, tableRowAt } from '../layout/table-hit.js';
import type { TuiStore } from '../state/store.js';
import { deriveView } from '../state/view.js';
import { dispatchKey, type DispatchContext } from './dispatch.js';
import { encodeSgr, type MouseEvent } from './mouse-input.js';

/** The help overlay's line on the mouse (what handleMouse and paneMouseBytes do). */
export const MOUSE_HELP =
  'Mouse: a click selects a row, the wheel moves the selection; attached, the pane has it';

/**
 * The dashboard's mouse, a shortcut for what the keyboard does: the wheel moves the selection of
 * whatever has the keyboard (the focused table, the help, a slot view) like ↑/↓, and a left click
 * on a table row focuses that table and selects the row. While a dialog is open or the filter is
 * being typed, clicks do nothing (and the wheel nothing in a dialog).
 */
export function handleMouse(
  ctx: DispatchContext,
  layout: Layout | undefined,
  event: MouseEvent,
): void {
  if (!layout || layout.kind === 'too-small') return;
  const state = ctx.store.getState();
  if (event.action === 'wheel-up' || event.action === 'wheel-down') {
    if (state.ui.overlay.kind !== 'confirm')
      dispatchKey(ctx, { name: event.action === 'wheel-up' ? 'up' : 'down' });
    return;
  }
  if (event.action !== 'press' || event.button !== 0) return;
  if (state.ui.overlay.kind !== 'none' || state.ui.filter.editing) return;
  clickTable(state, layout, event);
}

function clickTable(
  state: TuiStore,
  layout: Exclude<Layout, { kind: 'too-small' }>,
  event: MouseEvent,
) {
  const view = deriveView(state);
  const { x, y } = event;
  if (contains(layout.slots, x, y)) {
    state.focusPane('slots');
    const index = tableRowAt(layout.slots, view.rows.length, view.rowIndex, y);
    if (index !== undefined) state.selectRow(view.rows[index]?.key);
  } else if (contains(layout.alerts, x, y)) {
    state.focusPane('alerts');
    const index = tableRowAt(layout.alerts, view.alerts.length, view.alertIndex, y);
    if (index !== undefined) state.selectAlert(view.alerts[index]?.id);
  }
}

/**
 * A mouse report for the attached pane, moved to the pane's own cells (its first line is the
 * title): undefined outside the pane's program area.
 */
export function paneMouseBytes(
  layout: Layout | undefined,
  zoomed: boolean,
  event: MouseEvent,
): string | undefined {
  if (!layout || layout.kind === 'too-small') return undefined;
  const rect = terminalRect(layout, zoomed);
  const inner = terminalInner(rect);
  const x = event.x - rect.x;
  const y = event.y - rect.y - 1;
  if (x < 0 || y < 0 || x >= inner.cols || y >= inner.rows) return undefined;
  return encodeSgr(event, x, y);
}
