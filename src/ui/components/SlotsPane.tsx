import type { Rect } from '../layout/layout.js';
import type { TreeRow } from '../state/tree.js';
import type { SortKey } from '../state/ui-types.js';
import { SLOT_COLUMNS, slotTableRow } from './slot-table.js';
import { TablePane } from './TablePane.js';

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
  return (
    <TablePane
      rect={rect}
      title="Workspaces"
      details={[`sort:${sort}`, filterText ? `filter:${filterText}` : '']}
      columns={SLOT_COLUMNS}
      count={rows.length}
      rowAt={(i) => slotTableRow(rows[i]!, now)}
      selected={selected}
      focused={focused}
      emptyText={
        filterText ? '  No slot matches the filter (esc clears it)' : '  No workspaces yet'
      }
    />
  );
}
