import { Box } from 'ink';
import type { Segment } from '../format/segments.js';
import { fit } from '../format/text-width.js';
import { COLUMN_GAP, fitColumns, type Column } from '../layout/fit-columns.js';
import { scrollWindow } from '../layout/scroll-window.js';
import { Line } from './Line.js';

export interface TableRow {
  key: string;
  /** Cell per column id; missing cells are blank. */
  cells?: Record<string, Segment>;
  /** A full-width row (group header) instead of cells. */
  span?: Segment[];
}

export interface TableProps {
  columns: readonly Column[];
  /** Number of rows; only the visible ones are built, through `rowAt`. */
  count: number;
  rowAt: (index: number) => TableRow;
  width: number;
  /** Rows available including the header line. */
  height: number;
  selected: number;
  focused: boolean;
  emptyText: string;
}

function rowSegments(row: TableRow, columns: readonly Column[]): Segment[] {
  if (row.span) return row.span;
  const gap: Segment = { text: ' '.repeat(COLUMN_GAP) };
  return columns.flatMap((c, i) => {
    const cell = row.cells?.[c.id] ?? { text: '' };
    const segment = { ...cell, text: fit(cell.text, c.width, c.align) };
    return i === 0 ? [segment] : [gap, segment];
  });
}

/**
 * Virtualised table: builds and renders only the rows that fit, scrolled to keep the selection
 * visible (a queue of 10,000 alerts costs what its visible rows cost).
 * Columns that do not fit the width are dropped by priority.
 */
export function Table({
  columns,
  count,
  rowAt,
  width,
  height,
  selected,
  focused,
  emptyText,
}: TableProps) {
  const fitted = fitColumns(columns, width);
  const header: Segment[] = [
    {
      text: fitted.map((c) => fit(c.header, c.width, c.align)).join(' '.repeat(COLUMN_GAP)),
      dim: true,
      bold: true,
    },
  ];
  const body = Math.max(0, height - 1);
  const { start, end } = scrollWindow(count, body, selected);
  const visible: TableRow[] = [];
  for (let i = start; i < end; i++) visible.push(rowAt(i));
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Line segments={header} width={width} />
      {count === 0 ? (
        <Line segments={[{ text: emptyText, dim: true }]} width={width} />
      ) : (
        visible.map((row, i) => (
          <Line
            key={row.key}
            segments={rowSegments(row, fitted)}
            width={width}
            inverse={focused && start + i === selected}
          />
        ))
      )}
    </Box>
  );
}
