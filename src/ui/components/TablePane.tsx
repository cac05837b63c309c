import { Box } from 'ink';
import type { Rect } from '../layout/layout.js';
import { PaneTitle } from './PaneTitle.js';
import { rangeLabel } from './range-label.js';
import { Table, type TableProps } from './Table.js';

interface TablePaneProps extends Omit<TableProps, 'width' | 'height' | 'at'> {
  rect: Rect;
  title: string;
  /** Title details before the visible-range label; empty ones are left out. */
  details: string[];
}

/** A titled pane holding one table: the title row, then the table in the rest of the rect. */
export function TablePane({ rect, title, details, ...table }: TablePaneProps) {
  const tableHeight = rect.height - 1;
  const line = [...details, rangeLabel(table.count, tableHeight - 1, table.selected)]
    .filter(Boolean)
    .join(' · ');
  return (
    <Box flexDirection="column" width={rect.width} height={rect.height} overflowY="hidden">
      <PaneTitle title={title} focused={table.focused} details={line} width={rect.width} />
      <Table {...table} width={rect.width} height={tableHeight} at={{ x: rect.x, y: rect.y + 1 }} />
    </Box>
  );
}
