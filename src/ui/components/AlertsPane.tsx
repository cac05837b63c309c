import type { Rect } from '../layout/layout.js';
import type { ThreatAlert } from '../state/types.js';
import { ALERT_COLUMNS, alertTableRow } from './alert-table.js';
import { TablePane } from './TablePane.js';

interface AlertsPaneProps {
  rect: Rect;
  alerts: readonly ThreatAlert[];
  total: number;
  unacked: number;
  selected: number;
  focused: boolean;
}

export function AlertsPane({ rect, alerts, total, unacked, selected, focused }: AlertsPaneProps) {
  const shown = alerts.length === total ? `${total}` : `${alerts.length}/${total}`;
  return (
    <TablePane
      rect={rect}
      title="Alerts"
      details={[`${shown} total · ${unacked} new`]}
      columns={ALERT_COLUMNS}
      count={alerts.length}
      rowAt={(i) => alertTableRow(alerts[i]!)}
      selected={selected}
      focused={focused}
      emptyText={total === 0 ? '  No alerts' : '  No alert matches the filter'}
    />
  );
}
