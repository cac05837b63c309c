import type { NetworkDecision } from '../../security/monitor/network-tail.js';

/** What the control room's per-slot views show; core produces it, the UI store keeps it. */

export type SlotViewKind = 'processes' | 'details' | 'logs' | 'snapshots' | 'network';

export type { NetworkDecision };

/** One host process of the slot's container, as the processes view lists it. */
export interface SlotProcess {
  /** The host's pid (what a kill from the host takes). */
  pid: number;
  /** The user inside the container (`root`, the code user), else its uid; '' when unknown. */
  user: string;
  /** Of one core, over the last refresh interval; 0 on the first reading. */
  cpuPercent: number;
  rssBytes: number;
  command: string;
}

/** A titled group of label/value rows of the details panel. */
export interface DetailSection {
  title: string;
  rows: Array<[label: string, value: string]>;
}

export interface SlotSnapshot {
  name: string;
  /** ISO timestamp from Incus. */
  createdAt: string;
  stateful: boolean;
  /** Bytes; -1 when the pool cannot tell. */
  sizeBytes: number;
}

/** The latest data of the open view, for one container. */
export type SlotViewData =
  | { view: 'processes'; container: string; processes: SlotProcess[] }
  | { view: 'details'; container: string; sections: DetailSection[] }
  | { view: 'logs'; container: string; lines: string[] }
  | { view: 'snapshots'; container: string; snapshots: SlotSnapshot[] }
  /** Newest first, from the monitor daemon's tail. */
  | { view: 'network'; container: string; decisions: NetworkDecision[] };

/** Delivers one view's data as it changes; `onError` says why a refresh failed (it goes on). */
export interface SlotViewSink {
  onData(data: SlotViewData): void;
  onError(message: string): void;
}
