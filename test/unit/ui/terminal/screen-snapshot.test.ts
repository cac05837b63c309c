import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import { describe, expect, test } from 'vitest';
import {
  fitRuns,
  runsToAnsi,
  snapshotScreen,
  type StyledRun,
} from '../../../../src/ui/terminal/screen-snapshot.js';
import { runsToText } from '../../../helpers/screen-text.js';

function terminal(cols: number, rows: number, scrollback = 100) {
  const t = new xterm.Terminal({ cols, rows, scrollback, allowProposedApi: true });
  t.loadAddon(new unicode11.Unicode11Addon());
  t.unicode.activeVersion = '11';
  return t;
}

function feed(t: InstanceType<typeof xterm.Terminal>, data: string): Promise<void> {
  return new Promise((resolve) => t.write(data, resolve));
}

const width = (runs: StyledRun[]) => runs.reduce((n, r) => n + r.width, 0);

describe('snapshotScreen', () => {
  test('plain text: every row exactly cols wide, cursor drawn inverse where it is', async () => {
    const t = terminal(12, 3);
    await feed(t, 'hello\r\nworld');
    const snap = snapshotScreen(t);
    expect(snap.lines).toHaveLength(3);
    for (const line of snap.lines) expect(width(line)).toBe(12);
    expect(snap.lines.map(runsToText)).toEqual(['hello       ', 'world       ', '            ']);
    expect(snap.cursor).toEqual({ x: 5, y: 1 });
    const cursorRun = snap.lines[1]!.find((r) => r.style.inverse);
    expect(cursorRun?.text).toBe(' ');
  });

  test('a hidden cursor is not drawn', async () => {
    const t = terminal(10, 2);
    await feed(t, 'ab');
    const snap = snapshotScreen(t, { cursorHidden: true });
    expect(snap.cursor).toBeUndefined();
    expect(snap.lines.flat().some((r) => r.style.inverse)).toBe(false);
  });

  test('16 base colours stay palette indexes, 256 and true colour keep their values', async () => {
    const t = terminal(20, 1);
    await feed(t, '\x1b[31mR\x1b[92mG\x1b[38;5;208mO\x1b[38;2;1;2;3mT\x1b[44mB\x1b[0m \x1b[?25l');
    const runs = snapshotScreen(t, { cursorHidden: true }).lines[0]!;
    expect(runs.slice(0, 5).map((r) => [r.text, r.style.fg, r.style.bg])).toEqual([
      ['R', 1, undefined],
      ['G', 10, undefined],
      ['O', 208, undefined],
      ['T', '#010203', undefined],
      ['B', '#010203', 4],
    ]);
    const ansi = runsToAnsi(runs);
    expect(ansi).toContain('\x1b[0;31mR');
    expect(ansi).toContain('\x1b[0;92mG');
    expect(ansi).toContain('\x1b[0;38;5;208mO');
    expect(ansi).toContain('\x1b[0;38;2;1;2;3mT');
    expect(ansi).toContain('\x1b[0;38;2;1;2;3;44mB');
    expect(ansi.endsWith('\x1b[0m')).toBe(true);
  });

  test('bold, dim, italic, underline, inverse and strike-through are kept', async () => {
    const t = terminal(10, 1);
    await feed(t, '\x1b[1mb\x1b[0;2md\x1b[0;3mi\x1b[0;4mu\x1b[0;7mv\x1b[0;9ms\x1b[0m');
    const runs = snapshotScreen(t, { cursorHidden: true }).lines[0]!;
    const styles = runs.slice(0, 6).map((r) => r.style);
    expect(styles.map((s) => [s.bold, s.dim, s.italic, s.underline, s.inverse, s.strike])).toEqual([
      [true, false, false, false, false, false],
      [false, true, false, false, false, false],
      [false, false, true, false, false, false],
      [false, false, false, true, false, false],
      [false, false, false, false, true, false],
      [false, false, false, false, false, true],
    ]);
    expect(runsToAnsi(runs)).toContain(
      '\x1b[0;1mb\x1b[0;2md\x1b[0;3mi\x1b[0;4mu\x1b[0;7mv\x1b[0;9ms',
    );
  });

  test('wide characters and emoji take two cells and are not doubled', async () => {
    const t = terminal(10, 3);
    await feed(t, '日本😀x\r\n\x1b[10G界');
    const snap = snapshotScreen(t, { cursorHidden: true });
    for (const line of snap.lines) expect(width(line)).toBe(10);
    // A wide glyph written in the last column wraps to the next row.
    expect(snap.lines.map(runsToText)).toEqual(['日本😀x   ', '          ', '界        ']);
  });

  test('after scrolling, the live screen shows the newest rows', async () => {
    const t = terminal(10, 3);
    await feed(t, Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\r\n'));
    const snap = snapshotScreen(t);
    expect(snap.lines.map((l) => runsToText(l).trim())).toEqual(['line 7', 'line 8', 'line 9']);
    expect(snap.cursor).toEqual({ x: 6, y: 2 });
  });
});

describe('fitRuns', () => {
  const width = (runs: readonly StyledRun[]) => runs.reduce((n, r) => n + r.width, 0);

  test('a row of the pane width is kept as it is; a narrower one is padded with blanks', async () => {
    const t = terminal(12, 1);
    await feed(t, '\x1b[31mred\x1b[0m 日本');
    const row = snapshotScreen(t).lines[0]!;
    expect(fitRuns(row, 12)).toBe(row);
    const padded = fitRuns(row, 16);
    expect(width(padded)).toBe(16);
    expect(runsToText(padded)).toBe(`${runsToText(row)}    `);
  });

  test('a wider row is cut at the edge, a wide glyph straddling it becomes a blank', async () => {
    const t = terminal(12, 1);
    await feed(t, '\x1b[31mred\x1b[0m 日本');
    const row = snapshotScreen(t).lines[0]!;
    const cut = fitRuns(row, 6);
    expect(width(cut)).toBe(6);
    expect(runsToText(cut)).toBe('red 日');
    expect(runsToText(fitRuns(row, 5))).toBe('red  ');
    expect(cut[0]!.style.fg).toBe(1);
  });
});
