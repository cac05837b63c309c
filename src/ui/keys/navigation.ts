import { deriveView, selectedAlert, selectedRow } from '../state/view.js';
import type { CommandContext } from './context.js';
import { attach } from '../actions/container-actions.js';

export const PAGE = 10;

export function moveSelection({ store }: CommandContext, delta: number): void {
  const state = store.getState();
  const view = deriveView(state);
  const clamp = (i: number, length: number) => Math.max(0, Math.min(length - 1, i));
  if (state.ui.focus === 'alerts') {
    const alert = view.alerts[clamp(view.alertIndex + delta, view.alerts.length)];
    if (alert) state.selectAlert(alert.id);
    return;
  }
  const row = view.rows[clamp(view.rowIndex + delta, view.rows.length)];
  if (row) state.selectRow(row.key);
}

/** Number keys: 1–9 jump to workspaces 1–9, 0 to the 10th. Expands it and focuses the slots. */
export function jumpToWorkspace({ store, key }: CommandContext): void {
  const state = store.getState();
  const number = key.name === '0' ? 10 : Number(key.name);
  const workspace = state.workspaces[number - 1];
  if (workspace === undefined) {
    state.setStatus({
      tone: 'error',
      text: `No workspace ${number} (there are ${state.workspaces.length})`,
    });
    return;
  }
  state.setCollapsed(workspace, false);
  state.focusPane('slots');
  state.selectRow(`ws:${workspace}`);
}

/** Collapses (or expands) the selected workspace; on a slot row, acts on its workspace. */
export function fold({ store }: CommandContext, collapse: boolean): void {
  const state = store.getState();
  const row = selectedRow(deriveView(state));
  if (!row) return;
  const workspace = row.kind === 'workspace' ? row.workspace : row.instance.workspace;
  state.setCollapsed(workspace, collapse);
  if (collapse) state.selectRow(`ws:${workspace}`);
}

export function focusNext({ store }: CommandContext): void {
  const state = store.getState();
  state.focusPane(state.ui.focus === 'slots' ? 'alerts' : 'slots');
}

/** Enter: toggles a workspace, attaches to a slot, opens an alert's details. */
export function openSelected(ctx: CommandContext): void {
  const state = ctx.store.getState();
  const view = deriveView(state);
  if (state.ui.focus === 'alerts') {
    const alert = selectedAlert(view);
    if (alert) state.openOverlay({ kind: 'alert-detail', alertId: alert.id });
    return;
  }
  const row = selectedRow(view);
  if (row?.kind === 'workspace') state.setCollapsed(row.workspace, !row.collapsed);
  else if (row) attach(ctx);
}

export function startFilter({ store }: CommandContext): void {
  store.getState().setFilterEditing(true);
}

export function clearOrBack({ store }: CommandContext): void {
  const state = store.getState();
  if (state.ui.filter.text !== '') {
    state.setFilterText('');
    state.setStatus({ tone: 'info', text: 'Filter cleared' });
  }
}

export function cycleSort({ store }: CommandContext): void {
  const state = store.getState();
  state.cycleSort();
  state.setStatus({ tone: 'info', text: `Sorted by ${store.getState().ui.sort}` });
}

export function detach({ store }: CommandContext): void {
  const state = store.getState();
  const name = state.ui.attached;
  if (name === undefined) return;
  state.setAttached(undefined);
  state.setStatus({ tone: 'info', text: `Detached from ${name}; it keeps running` });
}

/** The terminal pane takes the whole screen (or gives it back) on this and later attaches. */
export function toggleZoom({ store }: CommandContext): void {
  const state = store.getState();
  state.setZoomed(!state.ui.zoomed);
  state.setStatus({
    tone: 'info',
    text: state.ui.zoomed
      ? 'Terminal pane back beside the dashboard'
      : 'Terminal pane full screen (attach with a or enter)',
  });
}
