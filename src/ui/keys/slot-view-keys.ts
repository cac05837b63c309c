import type { SlotViewKind } from '../../core/control-room/slot-view-types.js';
import { clampedSelection, slotViewLength, slotViewRowKeys } from '../state/slot-view-selectors.js';
import type { TuiStore } from '../state/store.js';
import type { SlotViewOverlay } from '../state/ui-types.js';
import { deriveView, targetInstance } from '../state/view.js';
import type { CommandContext } from './context.js';

/** The slot view that has the keyboard, if one does. */
export function openSlotView(state: TuiStore): SlotViewOverlay | undefined {
  const { overlay } = state.ui;
  return overlay.kind === 'slot-view' ? overlay : undefined;
}

/** Opens one of the per-slot views of the selected slot (or of the selected alert's container). */
export function showSlotView({ store }: CommandContext, view: SlotViewKind): void {
  const state = store.getState();
  const target = targetInstance(state, deriveView(state));
  if (!target) {
    state.setStatus({
      tone: 'error',
      text: `No ${view} to show: select a slot (or an alert of a live container)`,
    });
    return;
  }
  state.openSlotView(view, target.name);
}

/** Moves the selection (or the log's cursor line); moving in the session log stops following. */
export function moveInSlotView({ store }: CommandContext, delta: number): void {
  const state = store.getState();
  const open = openSlotView(state);
  if (!open) return;
  const length = slotViewLength(state, open);
  const from = clampedSelection(state, open);
  const selected = Math.max(0, Math.min(length - 1, from + delta));
  state.updateSlotView({
    selected,
    selectedKey: slotViewRowKeys(state, open)?.[selected],
    follow: false,
  });
}

/** Switches the logs view between the session log and the audit records. */
export function toggleLogsTab({ store }: CommandContext): void {
  const state = store.getState();
  const open = openSlotView(state);
  if (!open) return;
  state.updateSlotView({
    logsTab: open.logsTab === 'session' ? 'audit' : 'session',
    selected: 0,
    selectedKey: undefined,
    follow: true,
  });
}

export function toggleFollow({ store }: CommandContext): void {
  const state = store.getState();
  const open = openSlotView(state);
  if (!open) return;
  state.updateSlotView({ follow: !open.follow });
  state.setStatus({
    tone: 'info',
    text: open.follow
      ? `${open.view === 'network' ? 'Network tail' : 'Log'} paused where it is`
      : `Following the ${open.view === 'network' ? 'network tail' : 'log'}`,
  });
}
