import { render, type Instance } from 'ink';
import { afterEach, describe, expect, test } from 'vitest';
import { App } from '../../../../src/ui/App.js';
import { HotRegionWriter } from '../../../../src/ui/hot-region/hot-region-writer.js';
import type { TuiStoreApi } from '../../../../src/ui/state/store.js';
import { FakeStdin } from '../harness.js';
import { alert, KEY, NOW, populatedStore, recordingActions, settle } from '../helpers.js';
import { settledAlike, TerminalScreen } from './terminal-screen.js';

const mounted: Instance[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});

const asStream = (s: unknown) => s as NodeJS.WriteStream;

/** The app in a headless terminal, through the hot-region writer or through Ink alone. */
function room(store: TuiStoreApi, cols: number, rows: number, hot: boolean) {
  const screen = new TerminalScreen(cols, rows);
  const writer = hot ? new HotRegionWriter(asStream(screen)) : undefined;
  const stdin = new FakeStdin();
  mounted.push(
    render(
      <App
        store={store}
        actions={recordingActions().actions}
        clock={() => NOW}
        frameMs={0}
        hotRegion={writer}
      />,
      {
        stdout: writer?.stream ?? asStream(screen),
        stdin: stdin as unknown as NodeJS.ReadStream,
        stderr: asStream(new TerminalScreen(cols, rows)),
        exitOnCtrlC: false,
        patchConsole: false,
        maxFps: 1000,
      },
    ),
  );
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      stdin.write(key);
      await settle();
    }
  };
  return { screen, press };
}

function bigStore(): TuiStoreApi {
  const store = populatedStore(10, 10);
  store
    .getState()
    .addAlerts(
      Array.from({ length: 300 }, (_, i) =>
        alert(i, { severity: (['info', 'warning', 'high', 'critical'] as const)[i % 4] }),
      ),
    );
  return store;
}

/** Runs the same session through both paths and compares the terminal after every step. */
async function sameScreens(cols: number, rows: number, steps: string[][]) {
  const plain = room(bigStore(), cols, rows, false);
  const hot = room(bigStore(), cols, rows, true);
  await settle();
  const shown: string[][] = [];
  for (const keys of [[], ...steps]) {
    await plain.press(...keys);
    await hot.press(...keys);
    const { expected, actual } = await settledAlike(plain.screen, hot.screen);
    expect(actual).toEqual(expected);
    shown.push(expected);
  }
  return shown;
}

describe('hot-region writer', () => {
  test('the terminal shows what Ink alone shows, side by side, through moves, focus, help and a filter', async () => {
    const shown = await sameScreens(140, 40, [
      [KEY.down, KEY.down, KEY.down],
      [KEY.tab, KEY.down],
      ['?'],
      [KEY.escape],
      ['/', 'w', 's', '-', '3', KEY.enter],
      [KEY.escape],
    ]);
    expect(shown[0]!.join('\n')).toContain('coi-0000ws-1-1');
    expect(shown[0]!.join('\n')).toMatch(/12:00:14 CRIT NEW coi-0000ws-1-1 +Unexpected netw/);
  }, 30_000);

  test('the terminal shows what Ink alone shows, stacked at 80x24', async () => {
    await sameScreens(80, 24, [[KEY.down, KEY.down], [KEY.left], [KEY.tab, KEY.down, KEY.down]]);
  }, 30_000);

  test('a metrics tick writes only the rows whose figures changed', async () => {
    const store = bigStore();
    const hot = room(store, 140, 40, true);
    await settle();
    const before = hot.screen.writes.length;
    const s = store.getState();
    const changed = {
      ...s.metrics,
      'coi-0000ws-1-2': { ...s.metrics['coi-0000ws-1-2']!, cpuPercent: 99 },
    };
    s.setMetrics(Object.fromEntries(Object.entries(changed).map(([k, m]) => [k, { ...m }])));
    await settle();
    const written = hot.screen.writes.slice(before);
    // One write, and in it one row: the hot writer's, not a frame of Ink's.
    expect(written).toHaveLength(1);
    const cursorMoves = written[0]!.split('\x1b[').filter((s) => /^\d+;\d+H/.test(s));
    expect(cursorMoves).toHaveLength(1);
    expect(written[0]).toContain('99%');
    expect((await hot.screen.text()).join('\n')).toMatch(/coi-0000ws-1-2 .* 99%/);
  });
});
