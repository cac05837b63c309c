import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from './harness.js';
import { alert, populatedStore, recordingActions, renderApp } from './helpers.js';

afterEach(cleanup);

const click = (x: number, y: number) => `\x1b[<0;${x + 1};${y + 1}M\x1b[<0;${x + 1};${y + 1}m`;
const WHEEL_DOWN = '\x1b[<65;1;1M';
const WHEEL_UP = '\x1b[<64;1;1M';

function room() {
  const store = populatedStore(2, 3);
  store.getState().addAlerts([1, 2, 3, 4].map((n) => alert(n)));
  const app = renderApp(store, recordingActions().actions, { cols: 130, rows: 30 });
  const lineOf = (text: string) => app.lines().findIndex((l) => l.includes(text));
  return { store, app, lineOf };
}

describe('mouse', () => {
  test('a click on a slot row selects it; on an alert row focuses the alerts and selects it', async () => {
    const { store, app, lineOf } = room();
    await app.press('');
    await app.press(click(2, lineOf('coi-0000ws-2-2')));
    expect(store.getState().ui.selectedRowKey).toBe('slot:coi-0000ws-2-2');
    expect(store.getState().ui.focus).toBe('slots');

    const alertsX = app.lines()[lineOf('Alerts')]!.indexOf('Alerts');
    // Newest first below title and header: alerts 4, 3, 2, 1.
    await app.press(click(alertsX + 2, lineOf('Alerts') + 4));
    expect(store.getState().ui.focus).toBe('alerts');
    expect(store.getState().ui.selectedAlertId).toBe('alert-2');
    // Keys still act on what the mouse selected.
    await app.press('\r');
    expect(store.getState().ui.overlay).toEqual({ kind: 'alert-detail', alertId: 'alert-2' });
  });

  test('a click on a pane title only focuses that pane', async () => {
    const { store, app, lineOf } = room();
    await app.press('');
    const before = store.getState().ui.selectedAlertId;
    const alertsX = app.lines()[lineOf('Alerts')]!.indexOf('Alerts');
    await app.press(click(alertsX, lineOf('Alerts')));
    expect(store.getState().ui.focus).toBe('alerts');
    expect(store.getState().ui.selectedAlertId).toBe(before);
  });

  test('the wheel moves the selection of the focused table', async () => {
    const { store, app } = room();
    await app.press('');
    await app.press(WHEEL_DOWN, WHEEL_DOWN);
    expect(store.getState().ui.selectedRowKey).toBe('slot:coi-0000ws-1-2');
    await app.press(WHEEL_UP);
    expect(store.getState().ui.selectedRowKey).toBe('slot:coi-0000ws-1-1');
  });

  test('with a dialog or the help open, clicks select nothing', async () => {
    const { store, app, lineOf } = room();
    await app.press('?');
    const row = lineOf('coi-0000ws-2-2');
    await app.press(click(2, row < 0 ? 10 : row));
    expect(store.getState().ui.overlay.kind).toBe('help');
    expect(store.getState().ui.selectedRowKey).not.toBe('slot:coi-0000ws-2-2');
  });
});
