import type { ScreenFrame } from './pane-protocol.js';
import { blankRow, runsToAnsi, type ScreenSnapshot } from './screen-snapshot.js';

/**
 * The worker's side of a frame: remembers what the UI thread was last sent, row by row, and
 * sends only the rows that differ (a row's SGR string is its identity: text and styles).
 */
export class RowDiffer {
  private sent: string[] = [];
  private cols = 0;
  private rows = 0;

  diff(screen: ScreenSnapshot): ScreenFrame {
    if (screen.cols !== this.cols || screen.rows !== this.rows) {
      this.sent = [];
      this.cols = screen.cols;
      this.rows = screen.rows;
    }
    const changed: ScreenFrame['changed'] = [];
    screen.lines.forEach((runs, y) => {
      const key = runsToAnsi(runs);
      if (key === this.sent[y]) return;
      this.sent[y] = key;
      changed.push([y, runs]);
    });
    return {
      cols: screen.cols,
      rows: screen.rows,
      changed,
      ...(screen.cursor ? { cursor: screen.cursor } : {}),
    };
  }
}

/**
 * The UI thread's side: the next screen from the previous one and a frame. Unchanged rows keep
 * their identity, so memoised rows (and their cached SGR strings) are not redone.
 */
export function applyFrame(
  previous: ScreenSnapshot | undefined,
  frame: ScreenFrame,
): ScreenSnapshot {
  const sameSize = previous?.cols === frame.cols && previous.rows === frame.rows;
  const lines = sameSize
    ? previous.lines.slice()
    : Array.from({ length: frame.rows }, () => blankRow(frame.cols));
  for (const [y, runs] of frame.changed) lines[y] = runs;
  return {
    cols: frame.cols,
    rows: frame.rows,
    lines,
    ...(frame.cursor ? { cursor: frame.cursor } : {}),
  };
}
