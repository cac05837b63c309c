import type { Rect } from './layout.js';
import { scrollWindow } from './scroll-window.js';

/** A TablePane's lines above its rows: the pane title, then the column header. */
const PANE_HEAD_LINES = 2;

export const contains = (rect: Rect, x: number, y: number): boolean =>
  x >= rect.x && x < rect.x + rect.width && y >= rect.y && y < rect.y + rect.height;

/**
 * Index of the row a TablePane at `rect` shows on screen line `y`, scrolled the way the table
 * scrolls it (see Table: the window that keeps `selected` visible); undefined on the title, the
 * header or the blank space below the last row.
 */
export function tableRowAt(
  rect: Rect,
  count: number,
  selected: number,
  y: number,
): number | undefined {
  const first = rect.y + PANE_HEAD_LINES;
  const { start, end } = scrollWindow(count, rect.height - PANE_HEAD_LINES, selected);
  const index = start + (y - first);
  return y >= first && index < end ? index : undefined;
}
