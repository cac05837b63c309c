import { Box } from 'ink';
import type { Rect } from '../layout/layout.js';
import type { ThreatAlert } from '../state/types.js';
import { ALERT_COLUMNS, alertTableRow } from './alert-table.js';
import { PaneTitle } from './PaneTitle.js';
import { rangeLabel } from './range-label.js';
import { Table } from './Table.js';

interface AlertsPaneProps {
  rect: Rect;
  alerts: readonly ThreatAlert[];
  total: number;
  unacked: number;
  selected: number;
  focused: boolean;
}

export function AlertsPane({ rect, alerts, total, unacked, selected, focused }: AlertsPaneProps) {
  const tableHeight = rect.height - 1;
  const shown = alerts.length === total ? `${total}` : `${alerts.length}/${total}`;
  const details = [
    `${shown} total · ${unacked} new`,
    rangeLabel(alerts.length, tableHeight - 1, selected),
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Box flexDirection="column" width={rect.width} height={rect.height} overflowY="hidden">
      <PaneTitle title="Alerts" focused={focused} details={details} width={rect.width} />
      <Table
        columns={ALERT_COLUMNS}
        count={alerts.length}
        rowAt={(i) => alertTableRow(alerts[i]!)}
        width={rect.width}
        height={tableHeight}
        selected={selected}
        focused={focused}
        emptyText={total === 0 ? '  No alerts' : '  No alert matches the filter'}
      />
    </Box>
  );
}
