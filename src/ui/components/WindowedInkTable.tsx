import { Table } from '@alcalzone/ink-table';
import { Box } from 'ink';
import { fit } from '../format/text-width.js';
import { scrollWindow } from '../layout/scroll-window.js';

export interface InkTableColumn<T> {
  header: string;
  width: number;
  align?: 'left' | 'right';
  value: (row: T) => string;
}

/** Lines ink-table draws around the rows (top border, heading, its separator, bottom border). */
const FRAME_LINES = 4;

/** How many rows fit in `height` lines: ink-table puts a separator line between rows. */
export function inkTableRowsFitting(height: number): number {
  return Math.max(0, Math.floor((height - FRAME_LINES + 1) / 2));
}

/**
 * `@alcalzone/ink-table` fed with only the rows that fit around the selection, each cell cut to
 * its column's width, the selected row marked with `›`.
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
  const window = scrollWindow(rows.length, inkTableRowsFitting(height), selected);
  const data = rows.slice(window.start, window.end).map((row, i) => {
    const cells: Record<string, string> = { ' ': window.start + i === selected ? '›' : ' ' };
    for (const c of columns) cells[c.header] = fit(c.value(row), c.width, c.align);
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
