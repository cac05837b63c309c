import { useMemo, useSyncExternalStore } from 'react';
import { coalesceSubscribe } from './coalesce.js';
import type { TuiStore, TuiStoreApi } from './store.js';

/**
 * Default frame budget: at most 20 renders per second whatever the event rate. A full frame costs
 * Ink roughly 15-40 ms of CPU (measured, production React), so faster would starve everything else.
 */
export const DEFAULT_FRAME_MS = 50;

/** React hook over the vanilla store; re-renders at most once per frame. */
export function useTuiState(store: TuiStoreApi, frameMs = DEFAULT_FRAME_MS): TuiStore {
  const subscribe = useMemo(() => coalesceSubscribe(store.subscribe, frameMs), [store, frameMs]);
  return useSyncExternalStore(subscribe, store.getState, store.getState);
}
