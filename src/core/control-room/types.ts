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
  /** Published host ports, labelled as `coi list` labels them. */
  ports?: string[];
  startedAt?: number;
  /** The user the agent runs as (its home holds the agent-state file); absent: the default. */
  codeUser?: string;
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

/** One alert of the queue, from an audit record (`severity` is the record's level). */
export interface RoomAlert {
  id: string;
  /** Epoch ms. */
  time: number;
  severity: 'info' | 'warning' | 'high' | 'critical';
  container: string;
  slot: number;
  workspace: string;
  title: string;
  description?: string;
  category?: string;
  action: 'logged' | 'alerted' | 'paused' | 'killed';
  evidence: Record<string, unknown>;
  acknowledged: boolean;
}

/** Where the alert feed delivers, in batches; ids seen before must be ignored by the sink. */
export interface AlertSink {
  addAlerts(alerts: RoomAlert[]): void;
}
