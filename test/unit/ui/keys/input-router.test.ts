import { describe, expect, test } from 'vitest';
import { createInputRouter } from '../../../../src/ui/keys/input-router.js';
import { populatedStore, recordingActions } from '../helpers.js';

function router() {
  const store = populatedStore(1, 2);
  const { actions, calls } = recordingActions();
  const forwarded: string[] = [];
  let exited = false;
  const route = createInputRouter(
    {
      store,
      actions,
      exit: () => {
        exited = true;
      },
    },
    (bytes) => forwarded.push(bytes),
  );
  return { store, calls, forwarded, route, exited: () => exited };
}

describe('input router', () => {
  test('while attached, bytes pass through unchanged and dashboard keys do nothing', () => {
    const r = router();
    r.store.getState().setAttached('coi-0000ws-1-1');
    const chunks = ['K', 'q', '\x1b[A', '\x1bOA', '\x03', '\x1b[200~paste\x1b[201~', '\x1b[15~'];
    for (const chunk of chunks) r.route(chunk);
    expect(r.forwarded).toEqual(chunks);
    expect(r.calls).toEqual([]);
    expect(r.exited()).toBe(false);
    expect(r.store.getState().ui.overlay.kind).toBe('none');
  });

  test('the detach chord returns the keyboard to the dashboard, mid-chunk too', () => {
    const r = router();
    r.store.getState().setAttached('coi-0000ws-1-1');
    r.route('ls\r\x11?');
    expect(r.forwarded).toEqual(['ls\r']);
    expect(r.store.getState().ui.attached).toBeUndefined();
    expect(r.store.getState().ui.overlay.kind).toBe('help');
    expect(r.store.getState().status?.text).toBe('Detached from coi-0000ws-1-1; it keeps running');
  });

  test('without an attached pane, keys go to the command registry', () => {
    const r = router();
    r.route('q');
    expect(r.exited()).toBe(true);
    expect(r.forwarded).toEqual([]);
  });
});
