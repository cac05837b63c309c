import { Box } from 'ink';
import { useMemo } from 'react';
import type { Segment } from '../format/segments.js';
import { fit } from '../format/text-width.js';
import { HotLines, useHotRegion } from '../hot-region/HotLines.js';
import { COLUMN_GAP, fitColumns, type Column } from '../layout/fit-columns.js';
import { scrollWindow } from '../layout/scroll-window.js';
import { ansiLine } from './line-cache.js';
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
  /**
   * Row at an index. Returning the same object while a row is unchanged lets its formatting be
   * reused (see the row builders' caches).
   */
  rowAt: (index: number) => TableRow;
  width: number;
  /** Rows available including the header line. */
  height: number;
  selected: number;
  focused: boolean;
  emptyText: string;
  /** Screen position of the table's first line: lets the hot-region writer draw it, when there is one. */
  at?: { x: number; y: number };
}

const fittedSegments = new WeakMap<TableRow, { fitted: readonly Column[]; segments: Segment[] }>();

/** A row cut into its columns, once per row version and column set. */
function rowSegments(row: TableRow, fitted: readonly Column[]): Segment[] {
  if (row.span) return row.span;
  const cached = fittedSegments.get(row);
  if (cached?.fitted === fitted) return cached.segments;
  const gap: Segment = { text: ' '.repeat(COLUMN_GAP) };
  const segments = fitted.flatMap((c, i) => {
    const cell = row.cells?.[c.id] ?? { text: '' };
    const segment = { ...cell, text: fit(cell.text, c.width, c.align) };
    return i === 0 ? [segment] : [gap, segment];
  });
  fittedSegments.set(row, { fitted, segments });
  return segments;
}

interface TableLine {
  key: string;
  segments: readonly Segment[];
  inverse: boolean;
}

/**
 * Virtualised table: builds and renders only the rows that fit, scrolled to keep the selection
 * visible (a queue of 10,000 alerts costs what its visible rows cost). Columns that do not fit
 * the width are dropped by priority. With a hot-region writer the lines bypass Ink's output step;
 * without one each is a memoised `Line`, so a row re-renders only when its content changes.
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
  at,
}: TableProps) {
  const writer = useHotRegion();
  const fitted = useMemo(() => fitColumns(columns, width), [columns, width]);
  const header = useMemo<Segment[]>(
    () => [
      {
        text: fitted.map((c) => fit(c.header, c.width, c.align)).join(' '.repeat(COLUMN_GAP)),
        dim: true,
        bold: true,
      },
    ],
    [fitted],
  );
  const empty = useMemo<Segment[]>(() => [{ text: emptyText, dim: true }], [emptyText]);
  const body = Math.max(0, height - 1);
  const { start, end } = scrollWindow(count, body, selected);
  const lines: TableLine[] = [{ key: 'header', segments: header, inverse: false }];
  if (count === 0) lines.push({ key: 'empty', segments: empty, inverse: false });
  for (let i = start; i < end; i++) {
    const row = rowAt(i);
    const inverse = focused && i === selected;
    lines.push({ key: row.key, segments: rowSegments(row, fitted), inverse });
  }
  if (writer && at) {
    return (
      <HotLines
        writer={writer}
        place={{ ...at, width }}
        height={height}
        lines={lines.map((l) => ansiLine(l.segments, width, l.inverse))}
      />
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      {lines.map((l) => (
        <Line key={l.key} segments={l.segments} width={width} inverse={l.inverse} />
      ))}
    </Box>
  );
}
