export interface ScrollWindow {
  start: number;
  end: number;
}

/**
 * Which rows of a long list to render: `height` rows that keep `selected` visible, centred when
 * possible. Only these rows become components, so the list can be arbitrarily long.
 */
export function scrollWindow(total: number, height: number, selected: number): ScrollWindow {
  if (height <= 0) return { start: 0, end: 0 };
  if (total <= height) return { start: 0, end: total };
  const start = Math.max(0, Math.min(total - height, selected - Math.floor(height / 2)));
  return { start, end: start + height };
}
