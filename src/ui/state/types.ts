/** Domain records the dashboard shows. Producers (Incus events, metrics poller, alert feed) fill them. */

export type Severity = 'info' | 'warning' | 'high' | 'critical';

export type InstanceState = 'running' | 'frozen' | 'stopped' | 'starting';

export interface SlotInstance {
  /** Incus container name, e.g. `coi-abc12345-3`. */
  name: string;
  /** Workspace label (path or session name) the slot belongs to. */
  workspace: string;
  slot: number;
  state: InstanceState;
  /** Set when the threat responder froze the container (as opposed to a user pause). */
  frozenByThreat: boolean;
  tool: string;
  persistent: boolean;
  ipv4?: string;
  /** Epoch ms of the last start; uptime is derived from it. */
  startedAt?: number;
}

export interface InstanceMetrics {
  cpuPercent: number;
  memoryUsedBytes: number;
  memoryLimitBytes?: number;
  netRxBytesPerSec: number;
  netTxBytesPerSec: number;
}

/** What the responder did about a threat. */
export type AlertAction = 'logged' | 'alerted' | 'paused' | 'killed';

export interface ThreatAlert {
  id: string;
  /** Epoch ms. */
  time: number;
  severity: Severity;
  container: string;
  slot: number;
  workspace: string;
  title: string;
  description?: string;
  category?: string;
  action: AlertAction;
  evidence: Record<string, unknown>;
  acknowledged: boolean;
}

export type Connection =
  | { state: 'connected' }
  | { state: 'connecting' }
  | { state: 'retrying'; attempt: number; error: string };

export interface StatusMessage {
  tone: 'info' | 'success' | 'error';
  text: string;
}
