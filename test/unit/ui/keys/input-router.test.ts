import { describe, expect, test } from 'vitest';
import { createInputRouter } from '../../../../src/ui/keys/input-router.js';
import type { MouseEvent } from '../../../../src/ui/keys/mouse-input.js';
import { populatedStore, recordingActions } from '../helpers.js';

function router(paneTracksMouse = false) {
  const store = populatedStore(1, 2);
  const { actions, calls } = recordingActions();
  const forwarded: string[] = [];
  const clicks: MouseEvent[] = [];
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
    {
      onMouse: (event) => clicks.push(event),
      forPane: (event) => (paneTracksMouse ? `<pane ${event.x},${event.y}>` : undefined),
    },
  );
  return { store, calls, forwarded, clicks, route, exited: () => exited };
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

  test('mouse reports never fire key commands on the dashboard, cut off mid-report neither', async () => {
    const r = router();
    // `q` quits and `?` opens the help: report bytes read as keys would do one or the other.
    r.route('\x1b[<0;1;1M\x1b[<64;2;2M');
    r.route('x\x1b[<0;3');
    r.route('3;9M');
    r.route('\x1b[M q!');
    await new Promise((done) => setTimeout(done, 40));
    expect(r.clicks.map((c) => [c.action, c.x, c.y])).toEqual([
      ['press', 0, 0],
      ['wheel-up', 1, 1],
      ['press', 32, 8],
      ['press', 80, 0],
    ]);
    expect(r.exited()).toBe(false);
    expect(r.store.getState().ui.overlay.kind).toBe('none');
  });

  test('while attached, mouse reports reach the pane only as the pane wants them', () => {
    const untracked = router(false);
    untracked.store.getState().setAttached('coi-0000ws-1-1');
    untracked.route('ls\x1b[<0;5;5Mx');
    expect(untracked.forwarded).toEqual(['ls', 'x']);
    expect(untracked.clicks).toEqual([]);

    const tracked = router(true);
    tracked.store.getState().setAttached('coi-0000ws-1-1');
    tracked.route('\x1b[<0;5;6M');
    expect(tracked.forwarded).toEqual(['<pane 4,5>']);
  });

  test('an ESC held as a possible report start goes out as a key once no report follows', async () => {
    const r = router();
    r.store.getState().setAttached('coi-0000ws-1-1');
    r.route('vi\x1b');
    expect(r.forwarded).toEqual(['vi']);
    await new Promise((done) => setTimeout(done, 40));
    expect(r.forwarded).toEqual(['vi', '\x1b']);
  });
});
