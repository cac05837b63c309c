import { describe, expect, test } from 'vitest';
import {
  computeLayout,
  MIN_COLS,
  MIN_ROWS,
  terminalInner,
  terminalRect,
  type PanesLayout,
  type Rect,
} from '../../../../src/ui/layout/layout.js';

function panes(cols: number, rows: number, banner = false): PanesLayout {
  const layout = computeLayout({ cols, rows }, { banner });
  if (layout.kind === 'too-small') throw new Error(`unexpected too-small at ${cols}x${rows}`);
  return layout;
}

const inside = (r: Rect, l: PanesLayout) =>
  r.x >= 0 && r.y >= 0 && r.x + r.width <= l.width && r.y + r.height <= l.height;

describe('computeLayout', () => {
  test.each([
    [MIN_COLS - 1, 24],
    [80, MIN_ROWS - 1],
    [10, 3],
  ])('%ix%i is too small', (cols, rows) => {
    expect(computeLayout({ cols, rows }, { banner: false }).kind).toBe('too-small');
  });

  test('80x24 stacks the alert queue under the slots and stays below the terminal rows', () => {
    const l = panes(80, 24);
    expect(l.kind).toBe('stacked');
    expect(l.height).toBe(23);
    expect(l.slots.height + l.alerts.height).toBe(l.body.height);
    expect(l.alerts.y).toBe(l.slots.y + l.slots.height);
    expect(l.header.height + l.body.height + l.status.height + l.footer.height).toBe(l.height);
  });

  test('from 120 columns the panes sit side by side', () => {
    expect(panes(119, 40).kind).toBe('stacked');
    const l = panes(120, 40);
    expect(l.kind).toBe('side-by-side');
    expect(l.slots.width + 1 + l.alerts.width).toBe(120);
    expect(l.slots.height).toBe(l.body.height);
    expect(l.alerts.x).toBe(l.slots.width + 1);
  });

  test('the banner takes one row from the body', () => {
    const without = panes(80, 24);
    const withBanner = panes(80, 24, true);
    expect(withBanner.banner).toEqual({ x: 0, y: 1, width: 80, height: 1 });
    expect(withBanner.body.height).toBe(without.body.height - 1);
  });

  test.each([
    [60, 15],
    [80, 24],
    [120, 40],
    [200, 60],
  ])('every rect fits inside %ix%i', (cols, rows) => {
    for (const banner of [false, true]) {
      const l = panes(cols, rows, banner);
      expect(l.height).toBeLessThan(rows);
      for (const rect of [l.header, l.body, l.slots, l.alerts, l.status, l.footer]) {
        expect(inside(rect, l)).toBe(true);
      }
      expect(l.slots.height).toBeGreaterThanOrEqual(5);
      expect(l.alerts.height).toBeGreaterThanOrEqual(5);
    }
  });

  test("the attached pane's pty: the whole body when stacked, the slots' place beside the alerts", () => {
    // Below the pane's title row; at 120x36 tmux's status line leaves the shell 30 of the 31 rows.
    expect(terminalInner(terminalRect(panes(100, 30), false))).toEqual({ cols: 100, rows: 25 });
    expect(terminalInner(terminalRect(panes(120, 36), false))).toEqual({ cols: 69, rows: 31 });
    expect(terminalInner(terminalRect(panes(120, 36), true))).toEqual({ cols: 120, rows: 34 });
  });
});
