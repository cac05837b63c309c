import type { TuiActions } from '../actions/tui-actions.js';
import type { TuiStoreApi } from '../state/store.js';
import type { KeyPress } from './decode-keys.js';

export interface CommandContext {
  store: TuiStoreApi;
  actions: TuiActions;
  /** Leaves the dashboard. */
  exit: () => void;
  key: KeyPress;
}
