import { cleanup } from './harness.js';
import { afterEach, describe, expect, test } from 'vitest';
import { alert, KEY, populatedStore, recordingActions, renderApp, settle } from './helpers.js';

afterEach(cleanup);

async function appOnSlot(slotDowns: number) {
  const store = populatedStore(2, 3);
  const rec = recordingActions();
  const app = renderApp(store, rec.actions);
  await settle();
  await app.press(...Array<string>(slotDowns).fill(KEY.down));
  return { store, app, ...rec };
}

describe('kill confirmation', () => {
  test('names container, slot and workspace; Enter cancels because Cancel is the default', async () => {
    const { app, calls } = await appOnSlot(2);
    await app.press('K');
    const screen = app.screen();
    expect(screen).toContain('Kill container?');
    expect(screen).toContain('Container: coi-0000ws-1-2');
    expect(screen).toContain('Slot:      2');
    expect(screen).toContain('Workspace: ws-1');
    await app.press(KEY.enter);
    expect(calls).toEqual([]);
    expect(app.screen()).not.toContain('Kill container?');
    expect(app.screen()).toContain('Cancelled: Kill container — nothing was done');
  });

  test('moving to Kill and pressing Enter calls actions.kill with the selected container', async () => {
    const { app, calls } = await appOnSlot(3);
    await app.press('K', KEY.right, KEY.enter);
    expect(calls).toEqual([['kill', 'coi-0000ws-1-3']]);
    expect(app.screen()).toContain('Killed coi-0000ws-1-3 (slot 3, ws-1)');
  });

  test('esc cancels too', async () => {
    const { app, calls } = await appOnSlot(1);
    await app.press('K', KEY.right, KEY.escape);
    expect(calls).toEqual([]);
  });

  test('kill from the alert queue targets the alert’s container', async () => {
    const { app, calls, store } = await appOnSlot(0);
    store
      .getState()
      .addAlerts([alert(1, { container: 'coi-0000ws-2-2', workspace: 'ws-2', slot: 2 })]);
    await settle();
    await app.press(KEY.tab, 'K');
    expect(app.screen()).toContain('Container: coi-0000ws-2-2');
    await app.press(KEY.left, KEY.enter);
    expect(calls).toEqual([['kill', 'coi-0000ws-2-2']]);
  });

  test('on a workspace row there is nothing to kill, and the status line says so', async () => {
    const { app, calls } = await appOnSlot(0);
    await app.press('K');
    expect(app.screen()).not.toContain('Kill container?');
    expect(app.screen()).toContain('Nothing to kill');
    expect(calls).toEqual([]);
  });

  test('bulk kill of flagged containers needs the count typed', async () => {
    const { app, calls, store } = await appOnSlot(0);
    store
      .getState()
      .addAlerts([
        alert(1, { container: 'coi-0000ws-1-1' }),
        alert(2, { container: 'coi-0000ws-2-3', severity: 'warning' }),
        alert(3, { container: 'coi-0000ws-1-2', severity: 'info' }),
      ]);
    await settle();
    await app.press('X');
    expect(app.screen()).toContain('Kill 2 flagged container(s)?');
    expect(app.screen()).toContain('coi-0000ws-1-1, coi-0000ws-2-3');
    await app.press(KEY.enter);
    expect(calls).toEqual([]);
    await app.press('X', '2', KEY.enter);
    expect(calls).toEqual([
      ['kill', 'coi-0000ws-1-1'],
      ['kill', 'coi-0000ws-2-3'],
    ]);
    expect(app.screen()).toContain('Killed 2 of 2 flagged containers');
  });
});
