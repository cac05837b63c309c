import { cleanup } from './harness.js';
import { afterEach, describe, expect, test } from 'vitest';
import { alert, KEY, populatedStore, recordingActions, renderApp, settle } from './helpers.js';

afterEach(cleanup);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('alert queue', () => {
  test('a burst of 20 alerts within one second gives 20 rows, none expire', async () => {
    const store = populatedStore(2, 2);
    const app = renderApp(store, recordingActions().actions, { cols: 200, rows: 40 });
    await settle();
    // Twenty alerts, stamped within one second, arrive 40 ms apart (further apart on a loaded
    // machine: the burst is the alerts' own times, not the test's timers).
    await new Promise<void>((done) => {
      for (let n = 1; n <= 20; n++) {
        setTimeout(() => {
          store
            .getState()
            .addAlerts([alert(n, { severity: n % 4 === 0 ? 'critical' : 'warning' })]);
          if (n === 20) done();
        }, n * 40);
      }
    });
    await settle();
    const rows = app.lines().filter((l) => /\d\d:\d\d:\d\d (WARN|CRIT) NEW coi-/.test(l));
    expect(rows).toHaveLength(20);
    expect(app.screen()).toContain('20 total · 20 new');
    expect(app.lines()[0]).toContain('5 CRIT 0 HIGH 15 WARN');
    // Newest first (alert 20 is critical and one second after alert 0).
    expect(rows[0]).toMatch(/CRIT NEW/);
    expect(rows[0]).toContain(new Date(alert(20).time).toTimeString().slice(0, 8));
    await sleep(100);
    expect(store.getState().alerts).toHaveLength(20);
  });

  test('replayed alert ids are not duplicated', () => {
    const store = populatedStore(1, 1);
    store.getState().addAlerts([alert(1), alert(2)]);
    store.getState().addAlerts([alert(2), alert(3)]);
    expect(store.getState().alerts.map((a) => a.id)).toEqual(['alert-1', 'alert-2', 'alert-3']);
  });

  test('A acknowledges the selected alert through actions.ack and updates badges and counts', async () => {
    const store = populatedStore(1, 2);
    store
      .getState()
      .addAlerts([
        alert(1, { container: 'coi-0000ws-1-1' }),
        alert(2, { container: 'coi-0000ws-1-2', severity: 'critical' }),
      ]);
    const { actions, calls } = recordingActions();
    const app = renderApp(store, actions);
    await settle();
    expect(app.lines()[0]).toContain('1 CRIT 1 HIGH');
    await app.press(KEY.tab, 'A');
    expect(calls).toEqual([['ack', 'alert-2']]);
    expect(app.lines()[0]).toContain('0 CRIT 1 HIGH');
    expect(app.screen()).toContain('Acknowledged 1 alert(s)');
    expect(app.lines().some((l) => / CRIT ack /.test(l))).toBe(true);
  });

  test('on a slot, A acknowledges all of its open alerts', async () => {
    const store = populatedStore(1, 2);
    store.getState().addAlerts([alert(1), alert(2), alert(3, { container: 'coi-0000ws-1-2' })]);
    const { actions, calls } = recordingActions();
    const app = renderApp(store, actions);
    await settle();
    await app.press(KEY.down, 'A');
    expect(calls).toEqual([
      ['ack', 'alert-1'],
      ['ack', 'alert-2'],
    ]);
    expect(
      store
        .getState()
        .alerts.filter((a) => !a.acknowledged)
        .map((a) => a.id),
    ).toEqual(['alert-3']);
  });

  test('Enter opens a detail view with the evidence; esc closes it', async () => {
    const store = populatedStore(1, 1);
    store.getState().addAlerts([
      alert(1, {
        description: 'Connection to a known C2 port',
        category: 'network',
        evidence: {
          connection: { remote_addr: '10.99.0.1:4444', state: 'ESTABLISHED' },
          reason: 'suspicious port',
        },
      }),
    ]);
    const app = renderApp(store, recordingActions().actions);
    await settle();
    await app.press(KEY.tab, KEY.enter);
    const screen = app.screen();
    expect(screen).toContain('Connection to a known C2 port');
    expect(screen).toContain('connection.remote_addr: 10.99.0.1:4444');
    expect(screen).toContain('reason: suspicious port');
    expect(screen).toContain('action: alerted');
    await app.press(KEY.escape);
    expect(app.screen()).toContain('Alerts');
    expect(app.screen()).not.toContain('connection.remote_addr');
  });
});
