import { AGENT_STATE_FILE, type AgentState } from '../control-room/agent-state/state.js';

/**
 * Claude Code's own signals of what it is doing (its hook events; a Notification's matcher is its
 * `notification_type`), each mapped to the agent state it means. PreToolUse also fires just before
 * a permission prompt, whose Notification follows it. Stop ends a turn: the agent waits for the
 * next prompt.
 */
const SIGNALS: ReadonlyArray<{ event: string; matcher?: string; state: AgentState }> = [
  { event: 'SessionStart', state: 'idle' },
  { event: 'UserPromptSubmit', state: 'working' },
  { event: 'PreToolUse', matcher: '*', state: 'working' },
  { event: 'PostToolUse', matcher: '*', state: 'working' },
  { event: 'Notification', matcher: 'permission_prompt', state: 'approval' },
  { event: 'Notification', matcher: 'idle_prompt', state: 'input' },
  { event: 'Notification', matcher: 'elicitation_dialog', state: 'input' },
  { event: 'Stop', state: 'input' },
  { event: 'SessionEnd', state: 'exited' },
];

/** The shell line a hook runs: the state and the time into the state file, nothing printed. */
export function agentStateCommand(state: AgentState): string {
  const file = `"$HOME/${AGENT_STATE_FILE}"`;
  return `mkdir -p "$(dirname ${file})" && printf '%s %s' ${state} "$(date +%s%3N)" > ${file}`;
}

/**
 * The `hooks` table coi adds to the managed policy. Claude Code runs the hooks of every settings
 * source, and the user's settings cannot turn the managed ones off, so the user's own hooks stay
 * as they are and these run beside them.
 */
export function agentStateHooks(): Record<string, unknown[]> {
  const hooks: Record<string, unknown[]> = {};
  for (const { event, matcher, state } of SIGNALS) {
    const entry = {
      ...(matcher === undefined ? {} : { matcher }),
      hooks: [{ type: 'command', command: agentStateCommand(state), timeout: 5 }],
    };
    (hooks[event] ??= []).push(entry);
  }
  return hooks;
}
