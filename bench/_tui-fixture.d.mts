import type { InstanceMetrics } from '../src/ui/state/types.js';
import type { createTuiStore as CreateTuiStore, TuiStoreApi } from '../src/ui/state/store.js';

export declare const ALERTS: number;
export declare function slotName(workspace: number, slot: number): string;
export declare function bigStore(
  createTuiStore: typeof CreateTuiStore,
  workspaces: number,
  slots: number,
): TuiStoreApi;
export declare function metricsBatch(
  store: TuiStoreApi,
  tick: number,
): Record<string, InstanceMetrics>;
