import { Box } from 'ink';
import type { Rect } from '../layout/layout.js';
import type { TreeRow } from '../state/tree.js';
import type { SortKey } from '../state/ui-types.js';
import { PaneTitle } from './PaneTitle.js';
import { rangeLabel } from './range-label.js';
import { SLOT_COLUMNS, slotTableRow } from './slot-table.js';
import { Table } from './Table.js';

interface SlotsPaneProps {
  rect: Rect;
  rows: readonly TreeRow[];
  selected: number;
  focused: boolean;
  sort: SortKey;
  filterText: string;
  now: number;
}

export function SlotsPane({
  rect,
  rows,
  selected,
  focused,
  sort,
  filterText,
  now,
}: SlotsPaneProps) {
  const tableHeight = rect.height - 1;
  const details = [
    `sort:${sort}`,
    filterText ? `filter:${filterText}` : '',
    rangeLabel(rows.length, tableHeight - 1, selected),
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Box flexDirection="column" width={rect.width} height={rect.height} overflowY="hidden">
      <PaneTitle title="Workspaces" focused={focused} details={details} width={rect.width} />
      <Table
        columns={SLOT_COLUMNS}
        count={rows.length}
        rowAt={(i) => slotTableRow(rows[i]!, now)}
        width={rect.width}
        height={tableHeight}
        selected={selected}
        focused={focused}
        emptyText={
          filterText ? '  No slot matches the filter (esc clears it)' : '  No workspaces yet'
        }
      />
    </Box>
  );
}
