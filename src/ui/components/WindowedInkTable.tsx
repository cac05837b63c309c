import { Table as InkTable } from '@alcalzone/ink-table';
import { Box } from 'ink';
import { sanitize, truncate } from '../format/text-width.js';
import { scrollWindow } from '../layout/scroll-window.js';

export type InkTableCell = string | number | boolean | null | undefined;
export type InkTableRow = Record<string, InkTableCell>;

/** Header label of the selection marker column (one blank: the fork prints keys as headers). */
const MARKER = ' ';

/**
 * Lines the fork's boxed table takes for `rows` rows: top border, heading, a separator above each
 * row and the row itself, bottom border.
 */
export const inkTableHeight = (rows: number) => 3 + 2 * rows;

/** How many rows fit in `height` screen lines. */
export const inkTableCapacity = (height: number) => Math.max(0, Math.floor((height - 3) / 2));

export interface WindowedInkTableProps<T extends InkTableRow> {
  /** Every row; only the window that fits `height` is handed to the fork. */
  rows: readonly T[];
  /** Columns in order; the key is also the header label. */
  columns: readonly (keyof T & string)[];
  /** Screen lines available, borders included. */
  height: number;
  /** Index into `rows` kept visible and marked with `›` in a leading column. */
  selected?: number;
  /** Maximum width of a column's cells, in terminal cells (longer text ends with an ellipsis). */
  maxWidth?: Partial<Record<keyof T & string, number>>;
}

function cellText(value: InkTableCell, max: number | undefined): InkTableCell {
  if (typeof value !== 'string') return value;
  const clean = sanitize(value);
  return max === undefined ? clean : truncate(clean, max);
}

/**
 * `@alcalzone/ink-table` (the design card's table) fed with only the visible window of rows, so a
 * long list costs what its visible rows cost. Cell text is sanitized (untrusted values cannot move
 * the cursor) and cut to `maxWidth`.
 */
export function WindowedInkTable<T extends InkTableRow>({
  rows,
  columns,
  height,
  selected,
  maxWidth = {},
}: WindowedInkTableProps<T>) {
  const { start, end } = scrollWindow(rows.length, inkTableCapacity(height), selected ?? 0);
  const marked = selected !== undefined;
  const data: InkTableRow[] = [];
  for (let i = start; i < end; i++) {
    const row: InkTableRow = marked ? { [MARKER]: i === selected ? '›' : '' } : {};
    for (const c of columns) row[c] = cellText(rows[i]![c], maxWidth[c]);
    data.push(row);
  }
  return (
    <Box flexDirection="column" height={Math.min(height, inkTableHeight(data.length))}>
      <InkTable data={data} columns={marked ? [MARKER, ...columns] : [...columns]} />
    </Box>
  );
}
