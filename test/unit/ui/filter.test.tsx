import { cleanup } from './harness.js';
import { afterEach, describe, expect, test } from 'vitest';
import { parseFilter } from '../../../src/ui/state/filter.js';
import { alert, KEY, populatedStore, recordingActions, renderApp, settle } from './helpers.js';

afterEach(cleanup);

describe('filter field', () => {
  test('typing the kill key inside the filter types a letter and opens no dialog', async () => {
    const store = populatedStore(2, 2);
    const { actions, calls } = recordingActions();
    const app = renderApp(store, actions);
    await settle();
    await app.press(KEY.down, '/', 'K', 'p', 'D', 'X', 'q');
    expect(store.getState().ui.filter).toEqual({ text: 'KpDXq', editing: true });
    expect(app.screen()).not.toContain('Kill');
    expect(app.lines().at(-1)).toContain('/KpDXq█');
    expect(calls).toEqual([]);
    expect(store.getState().ui.overlay.kind).toBe('none');
  });

  test('state: and sev: prefixes narrow the tree; esc clears', async () => {
    const store = populatedStore(3, 3);
    const s = store.getState();
    s.upsertInstance({ ...s.instances['coi-0000ws-2-2']!, state: 'frozen' });
    s.addAlerts([
      alert(1, { container: 'coi-0000ws-3-1', workspace: 'ws-3', severity: 'critical' }),
    ]);
    const app = renderApp(store, recordingActions().actions, { cols: 80, rows: 30 });
    await settle();
    await app.press('/', 'state:frozen', KEY.enter);
    let slots = app.lines().filter((l) => l.startsWith('  coi-'));
    expect(slots.map((l) => l.trim().split(' ')[0])).toEqual(['coi-0000ws-2-2']);
    expect(app.screen()).toContain('▾ 2 ws-2  1/3 slots');
    expect(app.screen()).not.toContain('ws-1 ');

    await app.press('/', KEY.escape, '/', 'sev:high', KEY.enter);
    slots = app.lines().filter((l) => l.startsWith('  coi-'));
    expect(slots.map((l) => l.trim().split(' ')[0])).toEqual(['coi-0000ws-3-1']);

    await app.press(KEY.escape);
    expect(app.lines().filter((l) => l.startsWith('  coi-'))).toHaveLength(9);
  });

  test('a bad prefix is reported on the status line', async () => {
    const app = renderApp(populatedStore(1, 1), recordingActions().actions);
    await settle();
    await app.press('/', 'state:frozn', KEY.enter);
    expect(app.screen()).toContain('Filter: unknown state "frozn"; use one of running, frozen');
  });
});

describe('parseFilter', () => {
  test('prefixes, comma lists and words', () => {
    expect(parseFilter('state:frozen,threat sev:HIGH ws:api tool:codex c2 port')).toEqual({
      filter: {
        states: ['frozen', 'threat'],
        minSeverity: 'high',
        workspaces: ['api'],
        tools: ['codex'],
        words: ['c2', 'port'],
      },
      errors: [],
    });
  });

  test('errors say what is wrong and what is allowed', () => {
    expect(parseFilter('colour:red sev: sev:bad').errors).toEqual([
      'unknown filter prefix "colour:"; use state:, sev:, ws: or tool:',
      '"sev:" has no value; write e.g. sev:<value>',
      'unknown severity "bad"; use one of info, warning, high, critical',
    ]);
  });
});
