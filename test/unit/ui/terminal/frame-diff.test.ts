import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import { describe, expect, test } from 'vitest';
import { applyFrame, RowDiffer } from '../../../../src/ui/terminal/frame-diff.js';
import { snapshotScreen } from '../../../../src/ui/terminal/screen-snapshot.js';
import { runsToText } from '../../../helpers/screen-text.js';

/** The worker diffs a real emulator's screen; the UI thread rebuilds it from the frames. */

function terminal(cols: number, rows: number) {
  const t = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  t.loadAddon(new unicode11.Unicode11Addon());
  t.unicode.activeVersion = '11';
  const feed = (data: string) => new Promise<void>((resolve) => t.write(data, resolve));
  return { t, feed, snap: () => snapshotScreen(t, { cursorHidden: true }) };
}

describe('RowDiffer', () => {
  test('the first frame has every row, the next ones only the rows that changed', async () => {
    const { feed, snap } = terminal(10, 4);
    await feed('one\r\ntwo\r\nthree');
    const differ = new RowDiffer();
    const first = differ.diff(snap());
    expect(first.changed.map(([y]) => y)).toEqual([0, 1, 2, 3]);

    await feed('\x1b[2;1Hkey');
    const second = differ.diff(snap());
    expect(second.changed.map(([y, runs]) => [y, runsToText(runs)])).toEqual([[1, 'key       ']]);
    expect(differ.diff(snap()).changed).toEqual([]);
  });

  test('a style change alone makes the row dirty', async () => {
    const { feed, snap } = terminal(10, 2);
    await feed('same');
    const differ = new RowDiffer();
    differ.diff(snap());
    await feed('\x1b[1;1H\x1b[31msame\x1b[0m');
    expect(differ.diff(snap()).changed.map(([y]) => y)).toEqual([0]);
  });

  test('after a resize every row is sent again', async () => {
    const { t, feed, snap } = terminal(10, 3);
    await feed('a');
    const differ = new RowDiffer();
    differ.diff(snap());
    t.resize(12, 4);
    const frame = differ.diff(snap());
    expect([frame.cols, frame.rows]).toEqual([12, 4]);
    expect(frame.changed).toHaveLength(4);
  });
});

describe('applyFrame', () => {
  test('rebuilds the screen the worker has, keeping unchanged rows as they were', async () => {
    const { t, feed, snap } = terminal(8, 3);
    const differ = new RowDiffer();
    await feed('top\r\nmiddle\r\nend');
    const first = applyFrame(undefined, differ.diff(snap()));
    expect(first.lines).toEqual(snap().lines);

    await feed('\x1b[2;1HMIDDLE');
    const second = applyFrame(first, differ.diff(snap()));
    expect(second.lines).toEqual(snap().lines);
    expect(second.lines[0]).toBe(first.lines[0]);
    expect(second.lines[2]).toBe(first.lines[2]);
    expect(second.lines[1]).not.toBe(first.lines[1]);
    expect(first.lines.map(runsToText)[1]).toBe('middle  ');

    t.resize(5, 2);
    const third = applyFrame(second, differ.diff(snap()));
    expect([third.cols, third.rows]).toEqual([5, 2]);
    expect(third.lines).toEqual(snap().lines);
  });

  test('before the first frame the screen is blank at the asked size', () => {
    const blank = applyFrame(undefined, { cols: 6, rows: 2, changed: [] });
    expect(blank.lines.map(runsToText)).toEqual(['      ', '      ']);
  });
});
