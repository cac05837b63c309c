import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from './harness.js';
import { alert, populatedStore, recordingActions, renderApp, settle } from './helpers.js';

afterEach(cleanup);

function expectFits(lines: string[], cols: number, rows: number) {
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(cols);
}

describe('dashboard rendering', () => {
  test('10 workspaces x 10 slots at 80x24 render without wrapping', async () => {
    const store = populatedStore(10, 10);
    store.getState().addAlerts([alert(1), alert(2, { severity: 'critical' })]);
    const app = renderApp(store, recordingActions().actions, { cols: 80, rows: 24 });
    await settle();
    const lines = app.lines();
    expectFits(lines, 80, 24);
    expect(lines.length).toBe(23);
    expect(app.screen()).toContain('10 ws 100 slots');
    expect(app.screen()).toContain('▾ 1 ws-1');
    expect(app.screen()).toContain('coi-0000ws-1-1');
    // Virtualised: only the rows that fit are rendered, and the title says where we are.
    expect(app.screen()).toContain('1-11 of 110');
    expect(app.screen()).not.toContain('coi-0000ws-9-9');
  });

  test.each([
    [60, 15],
    [120, 40],
    [200, 60],
  ])('fits %ix%i', async (cols, rows) => {
    const app = renderApp(populatedStore(10, 10), recordingActions().actions, { cols, rows });
    await settle();
    expectFits(app.lines(), cols, rows);
  });

  test('slot rows show state, tool, mode, uptime, cpu, memory and the alert badge', async () => {
    const store = populatedStore(1, 2);
    const s = store.getState();
    s.upsertInstance({ ...s.instances['coi-0000ws-1-2']!, state: 'frozen', frozenByThreat: true });
    s.addAlerts([alert(1, { container: 'coi-0000ws-1-2', severity: 'critical' })]);
    const app = renderApp(store, recordingActions().actions, { cols: 200, rows: 30 });
    await settle();
    const row1 = app.lines().find((l) => l.startsWith('  coi-0000ws-1-1 '))!;
    expect(row1).toMatch(
      /running .* 7\.5% +300M\/4\.0G claude +eph +1h00m +↓1\.5K ↑200B 10\.99\.0\.11/,
    );
    const row2 = app.lines().find((l) => l.startsWith('  coi-0000ws-1-2 '))!;
    expect(row2).toMatch(/frz:threat +CRIT .* pers/);
  });

  test('number keys jump to a workspace and left/right collapse it', async () => {
    const app = renderApp(populatedStore(10, 10), recordingActions().actions);
    await settle();
    await app.press('7');
    expect(app.screen()).toContain('▾ 7 ws-7');
    expect(app.screen()).toContain('coi-0000ws-7-1');
    await app.press('\x1b[D');
    expect(app.screen()).toContain('▸ 7 ws-7');
    expect(app.screen()).not.toContain('coi-0000ws-7-1');
    await app.press('0');
    expect(app.screen()).toContain('▾ 0 ws-10');
  });

  test('shows the "Incus unreachable — retrying" banner while the connection is down', async () => {
    const store = populatedStore(2, 2);
    const app = renderApp(store, recordingActions().actions);
    await settle();
    expect(app.screen()).not.toContain('Incus unreachable');
    store.getState().setConnection({
      state: 'retrying',
      attempt: 3,
      error: 'connect ENOENT /var/lib/incus/unix.socket',
    });
    await settle();
    expect(app.lines()[1]).toContain('Incus unreachable — retrying (attempt 3)');
    expectFits(app.lines(), 80, 24);
    store.getState().setConnection({ state: 'connected' });
    await settle();
    expect(app.screen()).not.toContain('Incus unreachable');
  });

  test('a terminal below the minimum shows a readable too-small screen', async () => {
    const app = renderApp(populatedStore(2, 2), recordingActions().actions, { cols: 50, rows: 10 });
    await settle();
    const text = app.lines().join(' ');
    expect(text).toContain('Terminal too small: 50×10');
    expect(text).toContain('at least 60×14');
    expectFits(app.lines(), 50, 10);
  });
});

describe('dialogs on the smallest terminal', () => {
  test('the kill dialog and the banner still fit 60x14', async () => {
    const store = populatedStore(2, 2);
    const app = renderApp(store, recordingActions().actions, { cols: 60, rows: 14 });
    await settle();
    await app.press('\x1b[B', 'K');
    // Incus goes away with the dialog open (while it is away, K itself is refused).
    store.getState().setConnection({ state: 'retrying', attempt: 1, error: 'connection refused' });
    await settle();
    expect(app.screen()).toContain('Incus unreachable');
    expect(app.screen()).toContain('Container: coi-0000ws-1-1');
    expect(app.screen()).toMatch(/Cancel +Kill/);
    expectFits(app.lines(), 60, 14);
  });
});

describe('while Incus is away', () => {
  test('actions that need Incus are refused with the reason; the rest still work', async () => {
    const store = populatedStore(1, 2);
    const { actions, calls } = recordingActions();
    const app = renderApp(store, actions);
    await settle();
    store.getState().setConnection({ state: 'retrying', attempt: 2, error: 'connection refused' });
    await app.press('j', 'p');
    expect(app.screen()).toContain('Incus unreachable — retrying: pause refused until it answers');
    await app.press('K', 'a');
    expect(store.getState().ui.overlay.kind).toBe('none');
    expect(calls).toEqual([]);
    await app.press('?');
    expect(store.getState().ui.overlay.kind).toBe('help');
    await app.press('\x1b');
    store.getState().setConnection({ state: 'connected' });
    await settle();
    // The refusal goes with the outage; another message stays.
    expect(app.screen()).not.toContain('refused until it answers');
    await app.press('p');
    expect(calls).toEqual([['pause', 'coi-0000ws-1-1']]);
    store.getState().setStatus({ tone: 'info', text: 'Paused coi-0000ws-1-1' });
    store.getState().setConnection({ state: 'retrying', attempt: 1, error: 'connection refused' });
    store.getState().setConnection({ state: 'connected' });
    await settle();
    expect(app.screen()).toContain('Paused coi-0000ws-1-1');
  });
});

describe('terminal resize', () => {
  test('follows stdout resize events across the breakpoints', async () => {
    const app = renderApp(populatedStore(3, 3), recordingActions().actions, { cols: 80, rows: 24 });
    await settle();
    const alertsTitleRow = () => app.lines().findIndex((l) => l.includes('Alerts'));
    expect(alertsTitleRow()).toBeGreaterThan(2);
    app.stdout.resize(150, 40);
    await settle();
    expect(alertsTitleRow()).toBe(1);
    expectFits(app.lines(), 150, 40);
    app.stdout.resize(40, 10);
    await settle();
    expect(app.screen()).toContain('Terminal too small: 40×10');
  });
});
