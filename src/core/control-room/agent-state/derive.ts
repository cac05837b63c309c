import type { AgentState } from './state.js';

/** No CPU for this long and no hook saying otherwise: the agent is idle. */
export const QUIET_MS = 5000;
/**
 * CPU this long after a permission prompt was reported means it was answered and the tool runs
 * (the next hook, PostToolUse, comes only when the tool is done); the prompt's own drawing is
 * over well before.
 */
export const ANSWERED_AFTER_MS = 2000;

export interface AgentObservation {
  /** What the pane runs (see pane-processes.ts); undefined when the slot has no coi pane. */
  pane: 'agent' | 'shell' | undefined;
  /** The last state the agent's hooks wrote, and since when (epoch ms). */
  hook?: { state: AgentState; since: number };
  /** When the agent's process last used CPU (epoch ms); undefined when not since it was found. */
  activeAt?: number;
  now: number;
}

/**
 * The state shown for a slot: the agent's own word where its hooks gave one, the pane's processes
 * otherwise (CPU recently: working; quiet: idle). A tool gone from the pane is `exited` whatever
 * its hooks said last. Undefined when nothing is known (no pane: a headless run, or not started).
 */
export function deriveAgentState(o: AgentObservation): AgentState | undefined {
  if (o.pane === 'shell') return 'exited';
  if (o.pane === undefined) return undefined;
  const active = (since: number) => o.activeAt !== undefined && o.activeAt > since;
  if (o.hook) {
    const { state, since } = o.hook;
    if (state === 'approval' && active(since + ANSWERED_AFTER_MS)) return 'working';
    // The tool is in the pane again after an exit its hooks reported (`/clear`, a restart).
    if (state === 'exited') return active(since) ? 'working' : 'idle';
    return state;
  }
  return active(o.now - QUIET_MS) ? 'working' : 'idle';
}
