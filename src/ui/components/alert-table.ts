import type { Segment } from '../format/segments.js';
import { sanitize } from '../format/text-width.js';
import { formatClock } from '../format/units.js';
import type { Column } from '../layout/fit-columns.js';
import { severityColor, severityLabel } from '../state/severity.js';
import type { AlertAction, ThreatAlert } from '../state/types.js';
import type { TableRow } from './Table.js';

export const ALERT_COLUMNS: readonly Column[] = [
  { id: 'time', header: 'TIME', width: 8, priority: 90 },
  { id: 'sev', header: 'SEV', width: 4, priority: 100 },
  { id: 'ack', header: 'ACK', width: 3, priority: 85 },
  { id: 'container', header: 'CONTAINER', width: 15, priority: 80 },
  { id: 'workspace', header: 'WORKSPACE', width: 12, priority: 50 },
  { id: 'title', header: 'TITLE', width: 12, flex: true, priority: 95 },
  { id: 'action', header: 'ACTION', width: 7, priority: 70 },
];

const ACTION_COLOR: Record<AlertAction, string | undefined> = {
  logged: undefined,
  alerted: 'yellow',
  paused: 'cyan',
  killed: 'red',
};

// Alerts are immutable (an ack replaces the object), so the object is the row's version.
const rows = new WeakMap<ThreatAlert, TableRow>();

/** The queue's row for an alert, built once per alert version. */
export function alertTableRow(a: ThreatAlert): TableRow {
  let row = rows.get(a);
  if (!row) rows.set(a, (row = buildRow(a)));
  return row;
}

function buildRow(a: ThreatAlert): TableRow {
  return {
    key: a.id,
    cells: {
      time: { text: formatClock(a.time), dim: a.acknowledged },
      sev: {
        text: severityLabel(a.severity),
        color: severityColor(a.severity),
        bold: !a.acknowledged,
      },
      ack: a.acknowledged ? { text: 'ack', dim: true } : { text: 'NEW', bold: true },
      container: { text: sanitize(a.container), dim: a.acknowledged },
      workspace: { text: sanitize(a.workspace), dim: a.acknowledged },
      title: { text: sanitize(a.title), dim: a.acknowledged },
      action: { text: a.action, color: ACTION_COLOR[a.action] },
    } satisfies Record<string, Segment>,
  };
}
