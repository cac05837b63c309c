import type { AgentState as RoomAgentState } from '../../core/control-room/agent-state/state.js';
import type {
  RoomAlert,
  RoomConnection,
  RoomMetrics,
  RoomSlot,
} from '../../core/control-room/types.js';

/** Domain records the dashboard shows. Producers (Incus events, metrics poller, alert feed) fill them. */

export type Severity = RoomAlert['severity'];

export type InstanceState = RoomSlot['state'];

/** A coi container as core's feed delivers it (see src/core/control-room/types.ts). */
export type SlotInstance = RoomSlot;

export type InstanceMetrics = RoomMetrics;

/** What the responder did about a threat. */
export type AlertAction = RoomAlert['action'];

export type ThreatAlert = RoomAlert;

export type Connection = RoomConnection;

export interface StatusMessage {
  tone: 'info' | 'success' | 'error';
  text: string;
  /** A refusal while Incus was away: it goes once Incus answers again. */
  whileOffline?: boolean;
}

/** What a slot's agent is doing (core's agent-state source reports it). */
export type AgentState = RoomAgentState;
