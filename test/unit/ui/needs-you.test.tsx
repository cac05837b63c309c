import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from './harness.js';
import { populatedStore, recordingActions, renderApp, settle } from './helpers.js';

afterEach(cleanup);

/** 2 workspaces × 3 slots; ws-2 slot 3 waits for approval, ws-1 slot 2 for input. */
function waitingStore() {
  const store = populatedStore(2, 3);
  store.getState().setAgentStates({
    'coi-0000ws-1-1': 'working',
    'coi-0000ws-1-2': 'input',
    'coi-0000ws-1-3': 'exited',
    'coi-0000ws-2-1': 'idle',
    'coi-0000ws-2-3': 'approval',
  });
  return store;
}

const rowOf = (lines: string[], name: string) => lines.find((l) => l.includes(`${name} `)) ?? '';
const selectedName = (store: ReturnType<typeof waitingStore>) => store.getState().ui.selectedRowKey;

describe('who needs me', () => {
  test('the header counts the agents waiting on the user', async () => {
    const store = waitingStore();
    const app = renderApp(store, recordingActions().actions, { cols: 120, rows: 30 });
    await settle();
    expect(app.lines()[0]).toContain('2 need you');
    store.getState().setAgentStates({});
    await settle();
    expect(app.lines()[0]).toContain('0 need you');
  });

  test('each slot row shows its agent state', async () => {
    const app = renderApp(waitingStore(), recordingActions().actions, { cols: 120, rows: 30 });
    await settle();
    const lines = app.lines();
    expect(lines.join('\n')).toMatch(/AGENT/);
    expect(rowOf(lines, 'coi-0000ws-1-1')).toContain('● work');
    expect(rowOf(lines, 'coi-0000ws-1-2')).toContain('? input');
    expect(rowOf(lines, 'coi-0000ws-1-3')).toContain('✕ exit');
    expect(rowOf(lines, 'coi-0000ws-2-1')).toContain('· idle');
    expect(rowOf(lines, 'coi-0000ws-2-3')).toContain('! apprv');
    expect(rowOf(lines, 'coi-0000ws-2-2')).toMatch(/running +-/);
  });

  test('w visits approval, then input, then exited, and round again', async () => {
    const store = waitingStore();
    const app = renderApp(store, recordingActions().actions, { cols: 120, rows: 30 });
    await settle();
    await app.press('w');
    expect(selectedName(store)).toBe('slot:coi-0000ws-2-3');
    expect(app.screen()).toContain('coi-0000ws-2-3 waits for approval (2 more)');
    await app.press('w');
    expect(selectedName(store)).toBe('slot:coi-0000ws-1-2');
    expect(app.screen()).toContain('coi-0000ws-1-2 waits for input');
    await app.press('w');
    expect(selectedName(store)).toBe('slot:coi-0000ws-1-3');
    await app.press('w');
    expect(selectedName(store)).toBe('slot:coi-0000ws-2-3');
  });

  test('w opens a collapsed workspace, leaves the alerts pane and clears a hiding filter', async () => {
    const store = waitingStore();
    const s = store.getState();
    s.setCollapsed('ws-2', true);
    s.focusPane('alerts');
    s.setFilterText('ws:ws-1');
    const app = renderApp(store, recordingActions().actions, { cols: 120, rows: 30 });
    await settle();
    await app.press('w');
    const ui = store.getState().ui;
    expect(ui).toMatchObject({ focus: 'slots', selectedRowKey: 'slot:coi-0000ws-2-3' });
    expect(ui.collapsed['ws-2']).toBe(false);
    expect(ui.filter.text).toBe('');
    expect(app.screen()).toContain('filter cleared');
    expect(rowOf(app.lines(), 'coi-0000ws-2-3')).toContain('! apprv');
  });

  test('w with nobody waiting says so and keeps the selection', async () => {
    const store = populatedStore(1, 2);
    store.getState().selectRow('slot:coi-0000ws-1-1');
    const app = renderApp(store, recordingActions().actions);
    await settle();
    await app.press('w');
    expect(app.screen()).toContain('No agent needs you');
    expect(selectedName(store)).toBe('slot:coi-0000ws-1-1');
  });

  test('frozen and stopped slots show no agent state', async () => {
    const store = waitingStore();
    const s = store.getState();
    s.upsertInstance({ ...s.instances['coi-0000ws-1-2']!, state: 'frozen' });
    const app = renderApp(store, recordingActions().actions, { cols: 120, rows: 30 });
    await settle();
    expect(rowOf(app.lines(), 'coi-0000ws-1-2')).not.toContain('input');
  });
});
