import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { App } from '../../../../src/ui/App.js';
import type { TuiStoreApi } from '../../../../src/ui/state/store.js';
import { snapshotScreen } from '../../../../src/ui/terminal/screen-snapshot.js';
import type { PaneScreen, TerminalView } from '../../../../src/ui/terminal/terminal-controller.js';
import { cleanup, renderSized } from '../harness.js';
import { alert, NOW, populatedStore, recordingActions, settle } from '../helpers.js';

afterEach(cleanup);

const NAME = 'coi-0000ws-1-1';

/** A terminal view over a real headless xterm (what the controller gives the App). */
function screenView(content: string) {
  const term = new xterm.Terminal({ cols: 80, rows: 19, allowProposedApi: true });
  term.loadAddon(new unicode11.Unicode11Addon());
  term.unicode.activeVersion = '11';
  const sizes: [number, number][] = [];
  let listener: (() => void) | undefined;
  let current: PaneScreen | undefined;
  const view: TerminalView = {
    subscribe: (l) => {
      listener = l;
      return () => (listener = undefined);
    },
    getSnapshot: () => current,
    setSize: (cols, rows) => {
      sizes.push([cols, rows]);
      term.resize(cols, rows);
    },
  };
  const write = (data: string) =>
    new Promise<void>((resolve) =>
      term.write(data, () => {
        current = { name: NAME, screen: snapshotScreen(term), heldBytes: 0 };
        listener?.();
        resolve();
      }),
    );
  return { view, sizes, ready: write(content), write };
}

async function attachedApp(store: TuiStoreApi, cols = 80, rows = 24) {
  const passed: string[] = [];
  const pane = screenView('\x1b[1;32muser@box\x1b[0m:~$ echo 😀 日本\r\n😀 日本\r\n$ ');
  await pane.ready;
  const view = renderSized(
    <App
      store={store}
      actions={recordingActions().actions}
      clock={() => NOW}
      frameMs={0}
      terminal={pane.view}
      passthrough={(bytes) => passed.push(bytes)}
    />,
    cols,
    rows,
  );
  store.getState().setAttached(NAME);
  await settle();
  const lines = () => stripVTControlCharacters(view.lastFrame() ?? '').split('\n');
  const press = async (chunk: string) => {
    view.stdin.write(chunk);
    await settle();
  };
  return { lines, press, passed, pane, raw: () => view.lastFrame() ?? '' };
}

describe('terminal pane', () => {
  test('shows the pty screen with colours and wide glyphs, chord in the title, sized to fit', async () => {
    const app = await attachedApp(populatedStore(1, 2));
    const lines = app.lines();
    expect(lines).toHaveLength(23);
    expect(lines[1]).toMatch(new RegExp(`^─ ${NAME} ─+ ctrl-q detach ─$`));
    expect(lines[2]).toContain('user@box:~$ echo 😀 日本');
    expect(lines[3]!.startsWith('😀 日本')).toBe(true);
    expect(app.raw()).toContain('\x1b[1m\x1b[32muser@box');
    expect(lines.at(-1)).toContain(`ctrl-q detach · every other key goes to ${NAME}`);
    // 80x24: 23 rows drawn, header, pane title, status and footer leave 19 for the pty.
    expect(app.pane.sizes.at(-1)).toEqual([80, 19]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  test('every byte goes to the pty; the detach chord gives the keys back at once', async () => {
    const store = populatedStore(1, 2);
    const app = await attachedApp(store);
    const bytes = [
      'K',
      '\x1b[A',
      '\x1bOA',
      '\x1bx',
      '\x1bOP',
      '\x1b[15~',
      '\x03',
      '\x1b[200~pasted\x1b[201~',
    ];
    for (const b of bytes) await app.press(b);
    expect(app.passed).toEqual(bytes);
    expect(store.getState().ui.overlay.kind).toBe('none');
    await app.press('ls\x11j');
    expect(app.passed.at(-1)).toBe('ls');
    expect(store.getState().ui.attached).toBeUndefined();
    // The `j` after the chord in the same chunk moved the selection: keys work on the first press.
    expect(store.getState().ui.selectedRowKey).toBe(`slot:${NAME}`);
    expect(app.lines()[1]).toContain('Workspaces');
  });

  test('zoom gives the pane the whole screen', async () => {
    const store = populatedStore(1, 2);
    store.getState().setZoomed(true);
    const app = await attachedApp(store);
    expect(app.lines()[0]).toMatch(new RegExp(`^─ ${NAME} `));
    expect(app.pane.sizes.at(-1)).toEqual([80, 22]);
  });

  test('side by side from 120 columns: the alert queue stays visible', async () => {
    const app = await attachedApp(populatedStore(1, 2), 140, 30);
    expect(app.lines()[1]).toContain(`─ ${NAME} `);
    expect(app.lines()[1]).toContain('Alerts');
  });

  test('a frozen container shows the FROZEN overlay', async () => {
    const store = populatedStore(1, 2);
    const s = store.getState();
    s.upsertInstance({ ...s.instances[NAME]!, state: 'frozen', frozenByThreat: true });
    const app = await attachedApp(store);
    const screen = app.lines().join('\n');
    expect(screen).toContain('FROZEN — the container is frozen by the threat responder');
    expect(screen).toContain('Your typing is held');
  });

  test('a new high alert shows as a banner above the pane, typing still reaches the pty', async () => {
    const store = populatedStore(1, 2);
    store.getState().addAlerts([alert(1, { severity: 'critical', title: 'Old one' })]);
    const app = await attachedApp(store);
    expect(app.lines()[1]).not.toContain('Old one');
    store.getState().addAlerts([alert(2, { severity: 'info', title: 'Just info' })]);
    await settle();
    expect(app.lines()[1]).not.toContain('Just info');
    store.getState().addAlerts([alert(3, { severity: 'high', title: 'Reverse shell detected' })]);
    await settle();
    expect(app.lines()[1]).toContain('⚠ HIGH coi-0000ws-1-1: Reverse shell detected');
    expect(app.lines()[1]).toContain('ctrl-q');
    await app.press('x');
    expect(app.passed).toEqual(['x']);
    expect(store.getState().ui.attached).toBe(NAME);
  });
});
