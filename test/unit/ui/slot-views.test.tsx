import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from './harness.js';
import { alert, KEY, populatedStore, recordingActions, renderApp, settle } from './helpers.js';

afterEach(cleanup);

const NAME = 'coi-0000ws-1-1';

async function onFirstSlot() {
  const store = populatedStore(1, 2);
  const rec = recordingActions();
  const app = renderApp(store, rec.actions, { cols: 100, rows: 24 });
  await settle();
  await app.press(KEY.down);
  return { store, app, ...rec };
}

describe('slot views', () => {
  test('t opens the processes of the selected slot, live, and esc stops its feed', async () => {
    const { app, calls, views } = await onFirstSlot();
    await app.press('t');
    expect(app.screen()).toContain(`Processes · ${NAME}`);
    expect(app.screen()).toContain(`Reading ${NAME}`);
    views.sink!.onData({
      view: 'processes',
      container: NAME,
      processes: [
        {
          pid: 4242,
          user: 'code',
          cpuPercent: 55,
          rssBytes: 3 * 1024 ** 2,
          command: 'node agent.js',
        },
        { pid: 17, user: 'root', cpuPercent: 0, rssBytes: 1024 ** 2, command: '/sbin/init' },
      ],
    });
    await settle();
    const screen = app.screen();
    expect(screen).toMatch(/› +│ +4242 │ code +│ +55% │ +3\.0M │ node agent\.js/);
    expect(screen).toContain('/sbin/init');
    expect(screen).toContain('2 processes, by CPU');
    await app.press(KEY.escape);
    expect(app.screen()).not.toContain('Processes ·');
    expect(calls).toEqual([
      ['watchSlotView', `processes ${NAME}`],
      ['watchSlotView', `stop processes ${NAME}`],
    ]);
  });

  test('K in processes asks, then kills the selected process by host pid; the view stays', async () => {
    const { app, calls, views } = await onFirstSlot();
    await app.press('t');
    views.sink!.onData({
      view: 'processes',
      container: NAME,
      processes: [
        { pid: 4242, user: 'code', cpuPercent: 5, rssBytes: 1, command: 'node agent.js' },
        { pid: 99, user: 'code', cpuPercent: 1, rssBytes: 1, command: 'sleep 1000' },
      ],
    });
    await settle();
    await app.press(KEY.down, 'K');
    expect(app.screen()).toContain('Kill process?');
    expect(app.screen()).toContain('PID:       99 (host)');
    expect(app.screen()).toContain('Command:   sleep 1000');
    await app.press(KEY.right, KEY.enter);
    expect(calls).toContainEqual(['killProcess', `${NAME} 99`]);
    expect(app.screen()).toContain(`Processes · ${NAME}`);
    // The feed went on under the dialog: one watch, never stopped.
    expect(calls.filter(([m]) => m === 'watchSlotView')).toEqual([
      ['watchSlotView', `processes ${NAME}`],
    ]);
  });

  test('the selected process stays selected when a refresh re-sorts the list by CPU', async () => {
    const { app, calls, views } = await onFirstSlot();
    const row = (pid: number, cpuPercent: number) => ({
      pid,
      user: 'code',
      cpuPercent,
      rssBytes: 1,
      command: `job-${pid}`,
    });
    await app.press('t');
    views.sink!.onData({ view: 'processes', container: NAME, processes: [row(1, 9), row(2, 5)] });
    await settle();
    await app.press(KEY.down);
    views.sink!.onData({ view: 'processes', container: NAME, processes: [row(2, 50), row(1, 9)] });
    await settle();
    expect(app.screen()).toMatch(/› +│ +2 │/);
    await app.press('K', KEY.right, KEY.enter);
    expect(calls).toContainEqual(['killProcess', `${NAME} 2`]);
  });

  test('i shows the details panel with the uptime, scrolling with j', async () => {
    const { app, views } = await onFirstSlot();
    await app.press('i');
    views.sink!.onData({
      view: 'details',
      container: NAME,
      sections: [
        { title: 'Container', rows: [['Image', 'coi-default']] },
        {
          title: 'Network',
          rows: [
            ['IPv4', '10.99.0.11'],
            ['Mode', 'restricted'],
          ],
        },
      ],
    });
    await settle();
    const screen = app.screen();
    expect(screen).toContain(`Details · ${NAME}`);
    expect(screen).toMatch(/Image +coi-default/);
    expect(screen).toMatch(/Uptime +1h00m/);
    expect(screen).toMatch(/IPv4 +10\.99\.0\.11/);
  });

  test('L shows the session log following, and tab the audit records newest first with evidence', async () => {
    const { app, store, views } = await onFirstSlot();
    store.getState().addAlerts([
      alert(1, { container: NAME, title: 'Old record', evidence: { pid: 1 } }),
      alert(2, {
        container: NAME,
        title: 'New record',
        evidence: { remote_addr: '10.0.0.9:4444' },
      }),
      alert(3, { container: 'coi-0000ws-1-2', title: 'Other slot' }),
    ]);
    await app.press('L');
    views.sink!.onData({
      view: 'logs',
      container: NAME,
      lines: ['2026/11/23 12:00:00 Started', '[ERR] oops'],
    });
    await settle();
    expect(app.screen()).toContain('session log (following)');
    expect(app.screen()).toContain('[ERR] oops');
    await app.press(KEY.tab);
    const screen = app.screen();
    expect(screen).toContain('audit records, newest first');
    expect(screen.indexOf('New record')).toBeLessThan(screen.indexOf('Old record'));
    expect(screen).not.toContain('Other slot');
    expect(screen).toContain('remote_addr: 10.0.0.9:4444');
    await app.press(KEY.down);
    expect(app.screen()).toContain('pid: 1');
  });

  test('v lists snapshots; c creates, d deletes after confirming', async () => {
    const { app, calls, views } = await onFirstSlot();
    await app.press('v');
    views.sink!.onData({
      view: 'snapshots',
      container: NAME,
      snapshots: [
        {
          name: 'snap-20261123-120000',
          createdAt: '2026-11-23T12:00:00Z',
          stateful: false,
          sizeBytes: -1,
        },
      ],
    });
    await settle();
    expect(app.screen()).toContain('snap-20261123-120000');
    await app.press('c');
    expect(calls).toContainEqual(['snapshot', NAME]);
    await app.press('d');
    expect(app.screen()).toContain('Delete snapshot?');
    await app.press(KEY.enter);
    expect(calls.some(([m]) => m === 'deleteSnapshot')).toBe(false);
    await app.press('d', KEY.right, KEY.enter);
    expect(calls).toContainEqual(['deleteSnapshot', `${NAME} snap-20261123-120000`]);
  });

  test('R on a running persistent slot offers to stop it first; on an ephemeral one it refuses', async () => {
    const { app, calls, views, store } = await onFirstSlot();
    const snap = {
      name: 'snap-1',
      createdAt: '2026-11-23T12:00:00Z',
      stateful: false,
      sizeBytes: 1,
    };
    await app.press('v');
    views.sink!.onData({ view: 'snapshots', container: NAME, snapshots: [snap] });
    await settle();
    await app.press('R');
    expect(app.screen()).toContain('is an ephemeral session');
    expect(app.screen()).not.toContain('restore snapshot?');
    store.getState().upsertInstance({ ...store.getState().instances[NAME]!, persistent: true });
    await app.press('R');
    expect(app.screen()).toContain('Stop and restore snapshot?');
    await app.press(KEY.right, KEY.enter);
    expect(calls).toContainEqual(['restoreSnapshot', `${NAME} snap-1 stop-first`]);
  });

  test('on a workspace row there is no view to open, and the status line says so', async () => {
    const store = populatedStore(1, 1);
    const rec = recordingActions();
    const app = renderApp(store, rec.actions);
    await settle();
    await app.press('t');
    expect(app.screen()).toContain('No processes to show: select a slot');
    expect(rec.calls).toEqual([]);
  });

  test('the view keys are listed in the ? help', async () => {
    const store = populatedStore(1, 1);
    const app = renderApp(store, recordingActions().actions, { cols: 100, rows: 40 });
    await settle();
    await app.press('?');
    for (const text of [
      'Processes of the slot',
      'Details of the slot',
      'Session log and audit',
      'Snapshots (create',
    ])
      expect(app.screen()).toContain(text);
  });
});
