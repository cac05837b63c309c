/** What the control room shows of a coi container; producers in core, the UI store consumes. */
export interface RoomSlot {
  name: string;
  workspace: string;
  slot: number;
  state: 'running' | 'frozen' | 'stopped' | 'starting';
  /** The threat responder froze it (recorded as `user.coi.frozen_by`), not the user. */
  frozenByThreat: boolean;
  tool: string;
  persistent: boolean;
  ipv4?: string;
  startedAt?: number;
}

export interface RoomMetrics {
  cpuPercent: number;
  memoryUsedBytes: number;
  memoryLimitBytes?: number;
  netRxBytesPerSec: number;
  netTxBytesPerSec: number;
}

export type RoomConnection =
  | { state: 'connected' }
  | { state: 'connecting' }
  | { state: 'retrying'; attempt: number; error: string };

/** Where the feed delivers; the UI's store implements it. */
export interface RoomSink {
  upsertInstance(slot: RoomSlot): void;
  removeInstance(name: string): void;
  setMetrics(batch: Record<string, RoomMetrics>): void;
  setConnection(connection: RoomConnection): void;
  setWorkspaces(names: string[]): void;
}
