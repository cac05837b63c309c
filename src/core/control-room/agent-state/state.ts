/**
 * What an agent in a slot is doing, as the control room shows it: working on its own, waiting for
 * the user's next prompt (`input`) or for a permission answer (`approval`), idle (nothing asked,
 * nothing running), or `exited` (the agent is gone and its pane dropped to the shell).
 */
export const AGENT_STATES = ['working', 'input', 'approval', 'idle', 'exited'] as const;

export type AgentState = (typeof AGENT_STATES)[number];

/** The states in which the agent waits for the user; the ones "who needs me" lists. */
export function needsUser(state: AgentState | undefined): boolean {
  return state === 'input' || state === 'approval';
}

/**
 * Where the agent's hooks write its state, relative to the code user's home: on the container's
 * root filesystem, outside the tool's saved state directory. It holds one word of AGENT_STATES
 * and the epoch ms it was written (`approval 1764590000123`), so two reports of the same state
 * are two different texts.
 */
export const AGENT_STATE_FILE = '.cache/coi/agent-state';

export interface HookReport {
  state: AgentState;
  /** When the hook wrote it (epoch ms); undefined when the file has no valid time. */
  at?: number;
}

/** A state file's report, or undefined for anything else such a file may hold. */
export function parseHookReport(text: string): HookReport | undefined {
  const match = /^([a-z]+)(?: (\d{1,15}))?\s*$/.exec(text);
  const state = match?.[1];
  if (!state || !(AGENT_STATES as readonly string[]).includes(state)) return undefined;
  return { state: state as AgentState, ...(match[2] ? { at: Number(match[2]) } : {}) };
}

/** Where the room delivers the states of all slots, in one batch when any of them changed. */
export interface AgentStateSink {
  setAgentStates(batch: Record<string, AgentState>): void;
}
