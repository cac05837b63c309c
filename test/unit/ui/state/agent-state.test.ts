import { describe, expect, test } from 'vitest';
import {
  agentStateCell,
  needYouCount,
  nextNeedingYou,
  slotsNeedingYou,
} from '../../../../src/ui/state/agent-state.js';
import { createTuiStore } from '../../../../src/ui/state/store.js';
import { instance } from '../helpers.js';

function storeWith(states: Record<string, string>) {
  const store = createTuiStore();
  const s = store.getState();
  for (const [ws, slot] of [
    ['ws-1', 1],
    ['ws-1', 2],
    ['ws-1', 10],
    ['ws-2', 1],
  ] as const)
    s.upsertInstance(instance(ws, slot));
  s.setAgentStates(states as never);
  return store;
}

const A = 'coi-0000ws-1-1';
const B = 'coi-0000ws-1-2';
const C = 'coi-0000ws-1-10';
const D = 'coi-0000ws-2-1';

describe('agent-state selectors', () => {
  test('setAgentStates replaces the batch', () => {
    const store = storeWith({ [A]: 'input' });
    store.getState().setAgentStates({ [B]: 'working' });
    expect(store.getState().agentStates).toEqual({ [B]: 'working' });
  });

  test('"need you" counts input and approval of slots that exist', () => {
    const store = storeWith({
      [A]: 'input',
      [B]: 'approval',
      [C]: 'working',
      [D]: 'exited',
      'coi-gone-1': 'input',
    });
    expect(needYouCount(store.getState())).toBe(2);
  });

  test('the visiting order: approval, input, exited; then workspace and slot (numeric)', () => {
    const store = storeWith({ [A]: 'exited', [B]: 'input', [C]: 'approval', [D]: 'approval' });
    expect(slotsNeedingYou(store.getState()).map((i) => i.name)).toEqual([C, D, B, A]);
  });

  test('working and idle slots are never visited', () => {
    const store = storeWith({ [A]: 'working', [B]: 'idle' });
    expect(slotsNeedingYou(store.getState())).toEqual([]);
    expect(nextNeedingYou(store.getState())).toBeUndefined();
  });

  test('next goes after the current one and starts again after the last', () => {
    const store = storeWith({ [A]: 'input', [B]: 'approval' });
    const next = (current?: string) => nextNeedingYou(store.getState(), current)?.name;
    expect(next()).toBe(B);
    expect(next(B)).toBe(A);
    expect(next(A)).toBe(B);
    expect(next(D)).toBe(B);
  });

  test('each state has its own cell; none is a dash', () => {
    const cells = (['working', 'input', 'approval', 'idle', 'exited'] as const).map(agentStateCell);
    expect(new Set(cells.map((c) => c.text)).size).toBe(5);
    expect(cells.map((c) => c.text)).toEqual(['● work', '? input', '! apprv', '· idle', '✕ exit']);
    expect(agentStateCell(undefined).text).toBe('-');
  });
});
