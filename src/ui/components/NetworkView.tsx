import type { NetworkDecision } from '../../core/control-room/slot-view-types.js';
import { sanitize } from '../format/text-width.js';
import { formatClock } from '../format/units.js';
import type { Rect } from '../layout/layout.js';
import { Line } from './Line.js';
import { WindowedInkTable, type InkTableColumn } from './WindowedInkTable.js';

const TIME: InkTableColumn<NetworkDecision> = {
  header: 'TIME',
  width: 8,
  value: (d) => formatClock(d.time),
};
const VERDICT: InkTableColumn<NetworkDecision> = {
  header: 'VERDICT',
  width: 7,
  value: (d) => d.verdict,
};
const TARGET: InkTableColumn<NetworkDecision> = {
  header: 'ADDRESS:PORT',
  width: 21,
  value: (d) => (d.address ? `${d.address}${d.port === undefined ? '' : `:${d.port}`}` : '-'),
};

/** Cells the table spends outside NAME and REASON: marker column, paddings and borders. */
function flexibleWidth(width: number): number {
  const used = [TIME, VERDICT, TARGET].reduce((sum, c) => sum + c.width + 3, 0) + 4 + 1 + 6;
  return Math.max(20, width - used);
}

/**
 * The slot's network decisions, newest first: DNS names coi's resolver answered or refused,
 * connections the egress proxy let through or refused, packets nft dropped. The reason says which.
 */
export function NetworkView({
  rect,
  decisions,
  selected,
}: {
  rect: Rect;
  decisions: NetworkDecision[];
  selected: number;
}) {
  if (decisions.length === 0)
    return (
      <Line
        segments={[{ text: ' No network decisions recorded for this slot yet', dim: true }]}
        width={rect.width}
      />
    );
  const flexible = flexibleWidth(rect.width);
  const nameWidth = Math.floor(flexible * 0.4);
  const columns: InkTableColumn<NetworkDecision>[] = [
    TIME,
    VERDICT,
    { header: 'NAME', width: nameWidth, value: (d) => sanitize(d.name) || '-' },
    TARGET,
    {
      header: 'REASON',
      width: flexible - nameWidth,
      value: (d) => `${d.source}: ${sanitize(d.reason)}`,
    },
  ];
  return (
    <WindowedInkTable rows={decisions} columns={columns} height={rect.height} selected={selected} />
  );
}
