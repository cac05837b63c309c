import { cleanup } from './harness.js';
import { afterEach, describe, expect, test } from 'vitest';
import { KEY, populatedStore, recordingActions, renderApp, settle } from './helpers.js';

afterEach(cleanup);

const statusLine = (app: { lines: () => string[] }) => app.lines().at(-2) ?? '';

describe('status line', () => {
  test('says what the last action did', async () => {
    const store = populatedStore(1, 2);
    const { actions, calls } = recordingActions();
    const app = renderApp(store, actions);
    await settle();
    expect(statusLine(app)).toContain('Ready');
    await app.press(KEY.down, 'p');
    expect(statusLine(app)).toContain('✓ Paused coi-0000ws-1-1 (slot 1, ws-1)');
    await app.press('S');
    expect(statusLine(app)).toContain('Snapshot snap-1 of coi-0000ws-1-1 (slot 1, ws-1) created');
    await app.press('n');
    expect(statusLine(app)).toContain('Started coi-new-3 in ws-1');
    await app.press('s');
    expect(statusLine(app)).toContain('Sorted by name');
    expect(calls).toEqual([
      ['pause', 'coi-0000ws-1-1'],
      ['snapshot', 'coi-0000ws-1-1'],
      ['newSlot', 'ws-1'],
    ]);
  });

  test('says why an action failed', async () => {
    const { actions } = recordingActions({ pause: 'instance is not running (start it first)' });
    const app = renderApp(populatedStore(1, 1), actions);
    await settle();
    await app.press(KEY.down, 'p');
    expect(statusLine(app)).toContain(
      '✗ Pause coi-0000ws-1-1 failed: instance is not running (start it first)',
    );
  });

  test('explains a no-op instead of staying silent', async () => {
    const store = populatedStore(1, 1);
    const { actions, calls } = recordingActions();
    const app = renderApp(store, actions);
    await settle();
    await app.press(KEY.down, 'r');
    expect(statusLine(app)).toContain('coi-0000ws-1-1 is running, not paused');
    store
      .getState()
      .upsertInstance({ ...store.getState().instances['coi-0000ws-1-1']!, state: 'frozen' });
    await settle();
    await app.press('r');
    expect(statusLine(app)).toContain('Resumed coi-0000ws-1-1');
    expect(calls).toEqual([['resume', 'coi-0000ws-1-1']]);
  });

  test('shutdown asks first and says whether the container survives', async () => {
    const { actions, calls } = recordingActions();
    const app = renderApp(populatedStore(1, 2), actions);
    await settle();
    await app.press(KEY.down, 'D');
    expect(app.screen()).toContain('ephemeral: stopping it deletes it');
    await app.press(KEY.tab, KEY.enter);
    expect(calls).toEqual([['shutdown', 'coi-0000ws-1-1']]);
    expect(statusLine(app)).toContain('Shut down coi-0000ws-1-1');
  });
});
