import { parseFilter } from '../state/filter.js';
import type { TuiStoreApi } from '../state/store.js';
import { findCommand } from './commands.js';
import { ack } from '../actions/container-actions.js';
import type { CommandContext } from './context.js';
import type { KeyPress } from './decode-keys.js';
import { editText } from './field-keys.js';

export type DispatchContext = Omit<CommandContext, 'key'>;

const HELP_SCROLL: Record<string, number> = {
  up: -1,
  k: -1,
  down: 1,
  j: 1,
  pageup: -10,
  pagedown: 10,
};

function cancelConfirm(store: TuiStoreApi, title: string): void {
  const state = store.getState();
  state.closeOverlay();
  state.setStatus({
    tone: 'info',
    text: `Cancelled: ${title.replace(/\?$/, '')} — nothing was done`,
  });
}

/** The confirmation dialog owns every key while open; Enter on the default button cancels. */
function confirmKey(store: TuiStoreApi, key: KeyPress): void {
  const state = store.getState();
  if (state.ui.overlay.kind !== 'confirm') return;
  const { request, focused, typed } = state.ui.overlay.confirm;
  if (key.name === 'escape') return cancelConfirm(store, request.title);
  if (request.typeToConfirm !== undefined) {
    if (key.name === 'enter') {
      if (typed !== request.typeToConfirm) return cancelConfirm(store, request.title);
      state.closeOverlay();
      return request.onConfirm();
    }
    const next = editText(typed, key);
    if (next !== undefined) state.updateConfirm({ typed: next });
    return;
  }
  if (['left', 'right', 'tab', 'shift-tab', 'h', 'l'].includes(key.name)) {
    state.updateConfirm({ focused: focused === 'cancel' ? 'confirm' : 'cancel' });
    return;
  }
  if (key.name === 'enter') {
    if (focused !== 'confirm') return cancelConfirm(store, request.title);
    state.closeOverlay();
    request.onConfirm();
  }
}

/** While the filter has focus every printable key is text: no command can fire. */
function filterKey(store: TuiStoreApi, key: KeyPress): void {
  const state = store.getState();
  if (key.name === 'escape') {
    state.setFilterText('');
    state.setFilterEditing(false);
    state.setStatus({ tone: 'info', text: 'Filter cleared' });
    return;
  }
  if (key.name === 'enter') {
    state.setFilterEditing(false);
    const { errors } = parseFilter(state.ui.filter.text);
    state.setStatus(
      errors.length > 0
        ? { tone: 'error', text: `Filter: ${errors.join('; ')}` }
        : {
            tone: 'info',
            text: state.ui.filter.text ? `Filter: ${state.ui.filter.text}` : 'No filter',
          },
    );
    return;
  }
  const next = editText(state.ui.filter.text, key);
  if (next !== undefined) state.setFilterText(next);
}

/** Routes one decoded key by mode: dialog → text field → overlay → command registry. */
export function dispatchKey(ctx: DispatchContext, key: KeyPress): void {
  const state = ctx.store.getState();
  const { overlay } = state.ui;
  // In a dialog or text field Ctrl+C backs out, like Esc, rather than quitting.
  const backOut: KeyPress = key.name === 'ctrl-c' ? { name: 'escape' } : key;
  if (overlay.kind === 'confirm') return confirmKey(ctx.store, backOut);
  if (state.ui.filter.editing) return filterKey(ctx.store, backOut);
  if (overlay.kind === 'help') {
    if (['escape', '?', 'q', 'enter'].includes(key.name)) state.closeOverlay();
    const step = HELP_SCROLL[key.name];
    // The overlay clamps the offset to what it can show.
    if (step) state.openOverlay({ kind: 'help', scroll: Math.max(0, overlay.scroll + step) });
    return;
  }
  if (overlay.kind === 'alert-detail') {
    if (['escape', 'enter', 'q'].includes(key.name)) state.closeOverlay();
    else if (key.name === 'A') ack({ ...ctx, key }, overlay.alertId);
    return;
  }
  findCommand(key.name, state.ui.focus)?.run({ ...ctx, key });
}
