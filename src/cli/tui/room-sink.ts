import type { AgentStateSink } from '../../core/control-room/agent-state/state.js';
import type { AlertSink, RoomSink } from '../../core/control-room/types.js';
import type { TuiStoreApi } from '../../ui/index.js';

/** Delivers the instance and alert feeds into the UI store (the shapes are the same). */
export function storeSink(store: TuiStoreApi): RoomSink & AlertSink & AgentStateSink {
  return {
    upsertInstance: (slot) => store.getState().upsertInstance(slot),
    removeInstance: (name) => store.getState().removeInstance(name),
    setMetrics: (batch) => store.getState().setMetrics(batch),
    setConnection: (connection) => store.getState().setConnection(connection),
    setWorkspaces: (names) => store.getState().setWorkspaces(names),
    addAlerts: (alerts) => store.getState().addAlerts(alerts),
    setAgentStates: (batch) => store.getState().setAgentStates(batch),
  };
}
