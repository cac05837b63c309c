import type { TuiStoreApi } from '../state/store.js';
import type { CommandContext } from './context.js';

/** The one-line text field that has the keyboard: a type-to-confirm dialog's, or the filter. */
function focusedField(
  store: TuiStoreApi,
): { text: string; set: (text: string) => void } | undefined {
  const state = store.getState();
  const { overlay, filter } = state.ui;
  if (overlay.kind === 'confirm')
    return { text: overlay.confirm.typed, set: (typed) => state.updateConfirm({ typed }) };
  if (filter.editing) return { text: filter.text, set: state.setFilterText };
  return undefined;
}

export function deleteLeft({ store }: CommandContext): void {
  const field = focusedField(store);
  field?.set(Array.from(field.text).slice(0, -1).join(''));
}

export function clear({ store }: CommandContext): void {
  focusedField(store)?.set('');
}

/** What a printable key or a paste types; line breaks and tabs become spaces. */
export function insertText(store: TuiStoreApi, text: string): void {
  const field = focusedField(store);
  field?.set(field.text + text.replace(/[\r\n\t]/g, ' '));
}
