import { useEffect } from 'react';
import type { TuiActions } from '../actions/tui-actions.js';
import type { TuiStoreApi } from './store.js';
import { openSlotViewOf, type Overlay } from './ui-types.js';

/**
 * Keeps the open slot view fed: its watch starts when the view opens (or changes container) and
 * stops when it closes; a dialog opened from the view leaves it running underneath.
 */
export function useSlotViewFeed(store: TuiStoreApi, actions: TuiActions, overlay: Overlay): void {
  const open = openSlotViewOf(overlay);
  const view = open?.view;
  const container = open?.container;
  useEffect(() => {
    if (view === undefined || container === undefined) return undefined;
    return actions.watchSlotView(view, container, {
      onData: (data) => store.getState().setSlotViewData(data),
      onError: (message) => store.getState().setSlotViewError(message),
    });
  }, [store, actions, view, container]);
}
