import { Table } from '@alcalzone/ink-table';
import { Box } from 'ink';
import { fit, sanitize } from '../format/text-width.js';
import { scrollWindow } from '../layout/scroll-window.js';

export interface InkTableColumn<T> {
  header: string;
  width: number;
  align?: 'left' | 'right';
  value: (row: T) => string;
}

/**
 * Lines the fork's boxed table takes for `rows` rows: top border, heading, a separator above each
 * row and the row itself, bottom border.
 */
export const inkTableHeight = (rows: number) => 3 + 2 * rows;

/** How many rows fit in `height` screen lines. */
export const inkTableCapacity = (height: number) => Math.max(0, Math.floor((height - 3) / 2));

/**
 * `@alcalzone/ink-table` (the design card's table) fed with only the rows that fit around the
 * selection, so a long list costs what its visible rows cost. Each cell is sanitized (untrusted
 * text cannot move the cursor) and cut to its column's width; the selected row is marked `›`.
 */
export function WindowedInkTable<T>({
  rows,
  columns,
  height,
  selected,
}: {
  rows: readonly T[];
  columns: readonly InkTableColumn<T>[];
  height: number;
  selected: number;
}) {
  const window = scrollWindow(rows.length, inkTableCapacity(height), selected);
  const data = rows.slice(window.start, window.end).map((row, i) => {
    const cells: Record<string, string> = { ' ': window.start + i === selected ? '›' : ' ' };
    for (const c of columns) cells[c.header] = fit(sanitize(c.value(row)), c.width, c.align);
    return cells;
  });
  const blank: Record<string, string> = { ' ': ' ' };
  for (const c of columns) blank[c.header] = fit('', c.width);
  return (
    <Box flexDirection="column" height={height} overflowY="hidden">
      <Table data={data.length ? data : [blank]} padding={1} />
    </Box>
  );
}
