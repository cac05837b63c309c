import { scrollWindow } from '../layout/scroll-window.js';

/** "12-22 of 110" when the list scrolls, "" when everything is visible. */
export function rangeLabel(total: number, visible: number, selected: number): string {
  if (total <= visible) return '';
  const { start, end } = scrollWindow(total, visible, selected);
  return `${start + 1}-${end} of ${total}`;
}
