import { agentStateLabel, nextNeedingYou, slotsNeedingYou } from '../state/agent-state.js';
import { slotKey } from '../state/tree.js';
import { deriveView, selectedRow } from '../state/view.js';
import type { CommandContext } from './context.js';

/**
 * Selects the next slot whose agent needs the user (see slotsNeedingYou for the order): its
 * workspace is expanded, the slots pane focused, and a filter that hides it cleared.
 */
export function jumpToNextNeedingYou({ store }: CommandContext): void {
  const state = store.getState();
  const row = selectedRow(deriveView(state));
  const target = nextNeedingYou(state, row?.kind === 'slot' ? row.instance.name : undefined);
  if (!target) {
    state.setStatus({ tone: 'info', text: 'No agent needs you' });
    return;
  }
  const key = slotKey(target.name);
  state.setCollapsed(target.workspace, false);
  state.focusPane('slots');
  const hidden = !deriveView(store.getState()).rows.some((r) => r.key === key);
  if (hidden) state.setFilterText('');
  state.selectRow(key);
  const others = slotsNeedingYou(state).length - 1;
  const agent = store.getState().agentStates[target.name];
  state.setStatus({
    tone: 'info',
    text:
      `${target.name} ${agent ? agentStateLabel(agent) : 'needs you'}` +
      (others > 0 ? ` (${others} more)` : '') +
      (hidden ? ' · filter cleared' : ''),
  });
}
