import { render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { App } from '../../../src/ui/App.js';
import { commandsIn } from '../../../src/ui/keys/commands.js';
import type { Size } from '../../../src/ui/layout/layout.js';
import type { TuiStoreApi } from '../../../src/ui/state/store.js';
import type { TuiActions } from '../../../src/ui/actions/tui-actions.js';
import { alert, KEY, NOW, populatedStore, recordingActions, settle } from './helpers.js';

/**
 * The same component checks the issue asks for, through ink-testing-library. It pins stdout at
 * 100 columns, so sizes here stay at most 100 wide (the App lays out from its `size` prop); the
 * wider ones are covered by the own harness in the other files.
 */

const mounted: ReturnType<typeof render>[] = [];
afterEach(() => {
  for (const app of mounted.splice(0)) app.unmount();
});

function renderApp(store: TuiStoreApi, actions: TuiActions, size: Size) {
  const app = render(
    <App store={store} actions={actions} size={size} clock={() => NOW} frameMs={0} />,
  );
  mounted.push(app);
  const lines = () => stripVTControlCharacters(app.lastFrame() ?? '').split('\n');
  const screen = () => lines().join('\n');
  const press = async (...chunks: string[]) => {
    for (const chunk of chunks) {
      app.stdin.write(chunk);
      await settle();
    }
  };
  return { lines, screen, press };
}

describe('control room under ink-testing-library', () => {
  test('10 workspaces x 10 slots at 80x24 render without wrapping', async () => {
    const app = renderApp(populatedStore(10, 10), recordingActions().actions, {
      cols: 80,
      rows: 24,
    });
    await settle();
    const lines = app.lines();
    expect(lines).toHaveLength(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(app.screen()).toContain('10 ws 100 slots');
    expect(app.screen()).toContain('1-11 of 110');
  });

  test('a burst of 20 alerts in one second gives 20 rows', async () => {
    const store = populatedStore(2, 2);
    const app = renderApp(store, recordingActions().actions, { cols: 100, rows: 70 });
    await settle();
    // Scheduled 40 ms apart up front, so all twenty land within one second.
    const arrivals: number[] = [];
    await new Promise<void>((done) => {
      for (let n = 1; n <= 20; n++) {
        setTimeout(() => {
          arrivals.push(Date.now());
          store.getState().addAlerts([alert(n, { severity: n % 2 ? 'high' : 'critical' })]);
          if (n === 20) done();
        }, n * 40);
      }
    });
    expect(arrivals.at(-1)! - arrivals[0]!).toBeLessThan(1000);
    await settle();
    const rows = app.lines().filter((l) => /\d\d:\d\d:\d\d (HIGH|CRIT) NEW coi-/.test(l));
    expect(rows).toHaveLength(20);
    expect(app.screen()).toContain('20 total · 20 new');
  });

  test('kill dialog: Enter cancels because Cancel has the focus', async () => {
    const { actions, calls } = recordingActions();
    const app = renderApp(populatedStore(2, 3), actions, { cols: 80, rows: 24 });
    await settle();
    await app.press(KEY.down, 'K');
    expect(app.screen()).toContain('Kill container?');
    expect(app.screen()).toContain('Container: coi-0000ws-1-1');
    await app.press(KEY.enter);
    expect(calls).toEqual([]);
    expect(app.screen()).not.toContain('Kill container?');
    expect(app.screen()).toContain('Cancelled: Kill container — nothing was done');
  });

  test('typing the kill key inside the filter types a letter', async () => {
    const store = populatedStore(2, 2);
    const { actions, calls } = recordingActions();
    const app = renderApp(store, actions, { cols: 80, rows: 24 });
    await settle();
    await app.press(KEY.down, '/', 'K');
    expect(store.getState().ui.filter.text).toBe('K');
    expect(app.lines().at(-1)).toContain('/K█');
    expect(app.screen()).not.toContain('Kill container?');
    expect(calls).toEqual([]);
  });

  test('the help overlay lists every dashboard command', async () => {
    const app = renderApp(populatedStore(2, 2), recordingActions().actions, {
      cols: 100,
      rows: 40,
    });
    await settle();
    await app.press('?');
    const screen = app.screen();
    for (const command of commandsIn('dashboard')) {
      expect(screen, command.id).toContain(command.keyLabel);
      expect(screen, command.id).toContain(command.help);
    }
  });
});
