import type { SlotSnapshot } from '../../core/control-room/slot-view-types.js';
import { formatBytes } from '../format/units.js';
import type { Rect } from '../layout/layout.js';
import { WindowedInkTable, type InkTableColumn } from './WindowedInkTable.js';

const COLUMNS: InkTableColumn<SlotSnapshot>[] = [
  { header: 'NAME', width: 24, value: (s) => s.name },
  { header: 'CREATED', width: 20, value: (s) => s.createdAt.slice(0, 19).replace('T', ' ') },
  {
    header: 'SIZE',
    width: 6,
    align: 'right',
    value: (s) => (s.sizeBytes < 0 ? '-' : formatBytes(s.sizeBytes)),
  },
  { header: 'STATEFUL', width: 8, value: (s) => (s.stateful ? 'yes' : 'no') },
];

export function SnapshotsView({
  rect,
  snapshots,
  selected,
}: {
  rect: Rect;
  snapshots: SlotSnapshot[];
  selected: number;
}) {
  return (
    <WindowedInkTable rows={snapshots} columns={COLUMNS} height={rect.height} selected={selected} />
  );
}
