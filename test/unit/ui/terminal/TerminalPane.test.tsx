import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import { stripVTControlCharacters } from 'node:util';
import { render, type Instance } from 'ink';
import { afterEach, describe, expect, test } from 'vitest';
import { App } from '../../../../src/ui/App.js';
import { HotRegionWriter } from '../../../../src/ui/hot-region/hot-region-writer.js';
import type { TuiStoreApi } from '../../../../src/ui/state/store.js';
import { snapshotScreen } from '../../../../src/ui/terminal/screen-snapshot.js';
import type { PaneScreen, TerminalView } from '../../../../src/ui/terminal/terminal-controller.js';
import { cleanup, FakeStdin, renderSized } from '../harness.js';
import { alert, NOW, populatedStore, recordingActions, settle } from '../helpers.js';
import { settledAlike, TerminalScreen } from '../hot-region/terminal-screen.js';

const mounted: Instance[] = [];
afterEach(() => {
  cleanup();
  for (const m of mounted.splice(0)) m.unmount();
});

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

const asStream = (s: unknown) => s as NodeJS.WriteStream;

/**
 * The attached app in a headless terminal, its pane rows through the hot-region writer or Ink.
 * (No wide glyphs: the headless terminal here counts an emoji as one cell, Ink as two.)
 */
async function attachedRoom(store: TuiStoreApi, cols: number, rows: number, hot: boolean) {
  const pane = screenView('\x1b[1;32muser@box\x1b[0m:~$ ls\r\nnotes.txt\r\n$ ');
  await pane.ready;
  const screen = new TerminalScreen(cols, rows);
  const writer = hot ? new HotRegionWriter(asStream(screen)) : undefined;
  mounted.push(
    render(
      <App
        store={store}
        actions={recordingActions().actions}
        clock={() => NOW}
        frameMs={0}
        terminal={pane.view}
        passthrough={() => {}}
        hotRegion={writer}
      />,
      {
        stdout: writer?.stream ?? asStream(screen),
        stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
        stderr: asStream(new TerminalScreen(cols, rows)),
        exitOnCtrlC: false,
        patchConsole: false,
        maxFps: 1000,
      },
    ),
  );
  store.getState().setAttached(NAME);
  await settle();
  await screen.quiet();
  return { screen, pane };
}

describe('terminal pane through the hot-region writer', () => {
  const frozenStore = () => {
    const store = populatedStore(1, 2);
    const s = store.getState();
    s.upsertInstance({ ...s.instances[NAME]!, state: 'frozen', frozenByThreat: false });
    return store;
  };

  test.each([
    ['stacked at 80x24', () => populatedStore(1, 2), 80, 24],
    ['side by side at 140x30', () => populatedStore(1, 2), 140, 30],
    ['frozen, at 80x24', frozenStore, 80, 24],
  ])(
    'the terminal shows what Ink alone shows, %s',
    async (_, store, cols, rows) => {
      const plain = await attachedRoom(store(), cols, rows, false);
      const hot = await attachedRoom(store(), cols, rows, true);
      const first = await settledAlike(plain.screen, hot.screen);
      expect(first.expected.join('\n')).toContain('user@box:~$ ls');
      expect(first.actual).toEqual(first.expected);
      await plain.pane.write('ls -l');
      await hot.pane.write('ls -l');
      const typed = await settledAlike(plain.screen, hot.screen);
      expect(typed.expected.join('\n')).toContain('$ ls -l');
      expect(typed.actual).toEqual(typed.expected);
    },
    30_000,
  );

  test("a pane frame writes only the pty row that changed, not a frame of Ink's", async () => {
    const hot = await attachedRoom(populatedStore(1, 2), 80, 24, true);
    const before = hot.screen.writes.length;
    await hot.pane.write('ls');
    await settle();
    await hot.screen.quiet();
    const written = hot.screen.writes.slice(before);
    expect(written).toHaveLength(1);
    const cursorMoves = written[0]!.split('\x1b[').filter((s) => /^\d+;\d+H/.test(s));
    // The pty's prompt row: screen row 5 (header, pane title, then the pty's rows).
    expect(cursorMoves).toEqual(['5;1H']);
    expect(written[0]).toContain('$ ls');
    expect((await hot.screen.text())[4]).toBe('$ ls');
  });
});
