import { needsUser } from '../../core/control-room/agent-state/state.js';
import type { Segment } from '../format/segments.js';
import type { TuiState } from './store.js';
import type { AgentState, SlotInstance } from './types.js';

/** How each state shows in the slot table: a glyph and a word, colored by how much it needs you. */
const CELL: Record<AgentState, Segment> = {
  approval: { text: '! apprv', color: 'magenta', bold: true },
  input: { text: '? input', color: 'yellow', bold: true },
  working: { text: '● work', color: 'green' },
  idle: { text: '· idle', dim: true },
  exited: { text: '✕ exit', color: 'gray' },
};

export function agentStateCell(state: AgentState | undefined): Segment {
  return state ? CELL[state] : { text: '-', dim: true };
}

const LABEL: Record<AgentState, string> = {
  approval: 'waits for approval',
  input: 'waits for input',
  working: 'is working',
  idle: 'is idle',
  exited: 'exited (shell left)',
};

export function agentStateLabel(state: AgentState): string {
  return LABEL[state];
}

/**
 * The order "next who needs me" visits: an agent blocked on a permission answer first (it does
 * nothing until it gets one), then one waiting for its next prompt, then one that exited.
 * `needs you` in the header counts the first two.
 */
const URGENCY: Partial<Record<AgentState, number>> = { approval: 0, input: 1, exited: 2 };

type AgentView = Pick<TuiState, 'instances' | 'agentStates'>;

export function needYouCount({ instances, agentStates }: AgentView): number {
  let count = 0;
  for (const name in instances) if (needsUser(agentStates[name])) count++;
  return count;
}

/** The slots "next who needs me" visits, most urgent first, then by workspace and slot. */
export function slotsNeedingYou({ instances, agentStates }: AgentView): SlotInstance[] {
  const urgency = (i: SlotInstance) => {
    const state = agentStates[i.name];
    return (state && URGENCY[state]) ?? Infinity;
  };
  return Object.values(instances)
    .filter((i) => urgency(i) !== Infinity)
    .sort(
      (a, b) =>
        urgency(a) - urgency(b) ||
        a.workspace.localeCompare(b.workspace, undefined, { numeric: true }) ||
        a.slot - b.slot,
    );
}

/** The one after `current` in that order, from the start again after the last. */
export function nextNeedingYou(state: AgentView, current?: string): SlotInstance | undefined {
  const list = slotsNeedingYou(state);
  const at = list.findIndex((i) => i.name === current);
  return list[(at + 1) % list.length];
}
