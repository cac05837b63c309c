import { parseFilter } from '../state/filter.js';
import type { TuiStoreApi } from '../state/store.js';
import type { ConfirmState } from '../state/ui-types.js';
import type { CommandContext } from './context.js';

function openConfirm(store: TuiStoreApi): ConfirmState | undefined {
  const { overlay } = store.getState().ui;
  return overlay.kind === 'confirm' ? overlay.confirm : undefined;
}

function accept(store: TuiStoreApi, confirm: ConfirmState): void {
  store.getState().closeOverlay();
  confirm.request.onConfirm();
}

export function cancelConfirm({ store }: CommandContext): void {
  const confirm = openConfirm(store);
  if (!confirm) return;
  const state = store.getState();
  state.closeOverlay();
  state.setStatus({
    tone: 'info',
    text: `Cancelled: ${confirm.request.title.replace(/\?$/, '')} — nothing was done`,
  });
}

export function toggleButton({ store }: CommandContext): void {
  const confirm = openConfirm(store);
  if (!confirm) return;
  store.getState().updateConfirm({ focused: confirm.focused === 'cancel' ? 'confirm' : 'cancel' });
}

/** Enter presses the focused button; Cancel has focus first, so a stray Enter does nothing. */
export function pressButton(ctx: CommandContext): void {
  const confirm = openConfirm(ctx.store);
  if (!confirm) return;
  if (confirm.focused !== 'confirm') return cancelConfirm(ctx);
  accept(ctx.store, confirm);
}

/** Enter on a type-to-confirm dialog confirms only when the text typed is the one asked for. */
export function submitTyped(ctx: CommandContext): void {
  const confirm = openConfirm(ctx.store);
  if (!confirm) return;
  if (confirm.typed !== confirm.request.typeToConfirm) return cancelConfirm(ctx);
  accept(ctx.store, confirm);
}

export function applyFilter({ store }: CommandContext): void {
  const state = store.getState();
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
}

export function cancelFilter({ store }: CommandContext): void {
  const state = store.getState();
  state.setFilterText('');
  state.setFilterEditing(false);
  state.setStatus({ tone: 'info', text: 'Filter cleared' });
}
