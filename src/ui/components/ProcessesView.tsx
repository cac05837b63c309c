import type { SlotProcess } from '../../core/control-room/slot-view-types.js';
import { sanitize } from '../format/text-width.js';
import { formatBytes, formatPercent } from '../format/units.js';
import type { Rect } from '../layout/layout.js';
import { WindowedInkTable, type InkTableColumn } from './WindowedInkTable.js';

const FIXED: InkTableColumn<SlotProcess>[] = [
  { header: 'PID', width: 8, align: 'right', value: (p) => String(p.pid) },
  { header: 'USER', width: 10, value: (p) => sanitize(p.user) || '-' },
  { header: 'CPU', width: 6, align: 'right', value: (p) => formatPercent(p.cpuPercent) },
  { header: 'RSS', width: 6, align: 'right', value: (p) => formatBytes(p.rssBytes) },
];

/** Cells the table spends outside the command: the marker column, paddings and borders. */
function commandWidth(width: number): number {
  const used = FIXED.reduce((sum, c) => sum + c.width + 3, 0) + 4 + 1 + 3;
  return Math.max(10, width - used);
}

/** The slot's processes, busiest first (the order core reads them in). */
export function ProcessesView({
  rect,
  processes,
  selected,
}: {
  rect: Rect;
  processes: SlotProcess[];
  selected: number;
}) {
  const columns: InkTableColumn<SlotProcess>[] = [
    ...FIXED,
    { header: 'COMMAND', width: commandWidth(rect.width), value: (p) => sanitize(p.command) },
  ];
  return (
    <WindowedInkTable rows={processes} columns={columns} height={rect.height} selected={selected} />
  );
}
