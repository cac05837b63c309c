import type { Segment } from '../format/segments.js';
import { sanitize } from '../format/text-width.js';
import { formatMemory, formatNetRate, formatPercent, formatUptime } from '../format/units.js';
import type { Column } from '../layout/fit-columns.js';
import { agentStateCell } from '../state/agent-state.js';
import { severityColor, severityLabel } from '../state/severity.js';
import type { SlotRow, TreeRow, WorkspaceRow } from '../state/tree.js';
import type { Severity, SlotInstance } from '../state/types.js';
import type { TableRow } from './Table.js';

export const SLOT_COLUMNS: readonly Column[] = [
  { id: 'name', header: 'SLOT', width: 17, flex: true, priority: 100 },
  { id: 'state', header: 'STATE', width: 10, priority: 95 },
  { id: 'alert', header: 'ALRT', width: 4, priority: 90 },
  { id: 'agent', header: 'AGENT', width: 7, priority: 92 },
  { id: 'cpu', header: 'CPU', width: 5, priority: 80, align: 'right' },
  { id: 'mem', header: 'MEM', width: 11, priority: 75, align: 'right' },
  { id: 'tool', header: 'TOOL', width: 7, priority: 60 },
  { id: 'mode', header: 'MODE', width: 4, priority: 55 },
  { id: 'uptime', header: 'UP', width: 6, priority: 50, align: 'right' },
  { id: 'net', header: 'NET', width: 13, priority: 40, align: 'right' },
  { id: 'ipv4', header: 'IPV4', width: 15, priority: 20 },
  { id: 'ports', header: 'PORTS', width: 16, priority: 10 },
];

function stateCell(instance: SlotInstance): Segment {
  if (instance.frozenByThreat) return { text: 'frz:threat', color: 'red', bold: true };
  const color = { running: 'green', frozen: 'cyan', stopped: 'gray', starting: 'yellow' }[
    instance.state
  ];
  return { text: instance.state, color };
}

function badgeCell(badge: Severity | undefined): Segment {
  return badge
    ? { text: severityLabel(badge), color: severityColor(badge), bold: true }
    : { text: '' };
}

const isLive = (instance: SlotInstance) =>
  instance.state === 'running' || instance.state === 'frozen';

function uptimeText(row: TreeRow, now: number): string {
  if (row.kind !== 'slot') return '';
  const { instance } = row;
  return isLive(instance) && instance.startedAt !== undefined
    ? formatUptime(now - instance.startedAt)
    : '-';
}

function slotCells(row: SlotRow, uptime: string): Record<string, Segment> {
  const { instance, metrics } = row;
  const live = isLive(instance);
  return {
    name: { text: `  ${instance.name}` },
    state: stateCell(instance),
    agent: instance.state === 'running' ? agentStateCell(row.agent) : { text: '' },
    alert: badgeCell(row.badge),
    cpu: { text: metrics && live ? formatPercent(metrics.cpuPercent) : '-' },
    mem: {
      text: metrics && live ? formatMemory(metrics.memoryUsedBytes, metrics.memoryLimitBytes) : '-',
    },
    tool: { text: sanitize(instance.tool) },
    mode: { text: instance.persistent ? 'pers' : 'eph', dim: !instance.persistent },
    uptime: { text: uptime },
    net: {
      text:
        metrics && live ? formatNetRate(metrics.netRxBytesPerSec, metrics.netTxBytesPerSec) : '-',
    },
    ipv4: { text: instance.ipv4 ?? '-' },
    ports: { text: instance.ports?.join(' ') ?? '' },
  };
}

function workspaceSpan(row: WorkspaceRow): Segment[] {
  const count =
    row.matchingCount === row.slotCount
      ? `${row.slotCount}`
      : `${row.matchingCount}/${row.slotCount}`;
  const segments: Segment[] = [
    {
      text: `${row.collapsed ? '▸' : '▾'} ${row.number <= 10 ? row.number % 10 : ' '} `,
      dim: true,
    },
    { text: sanitize(row.workspace), bold: true },
    { text: `  ${count} slots · ${row.running} running · ${row.frozen} frozen`, dim: true },
  ];
  if (row.badge) segments.push({ text: '  ' }, badgeCell(row.badge));
  return segments;
}

/** Tree rows are rebuilt per frame, but from the same parts while nothing changed. */
function sameParts(a: TreeRow, b: TreeRow): boolean {
  const keys = Object.keys(a) as (keyof TreeRow)[];
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

const built = new Map<string, { row: TreeRow; uptime: string; table: TableRow }>();

/** The table row of a tree row, rebuilt only when its parts or its shown uptime change. */
export function slotTableRow(row: TreeRow, now: number): TableRow {
  const uptime = uptimeText(row, now);
  const last = built.get(row.key);
  if (last && last.uptime === uptime && sameParts(last.row, row)) return last.table;
  const table: TableRow =
    row.kind === 'workspace'
      ? { key: row.key, span: workspaceSpan(row) }
      : { key: row.key, cells: slotCells(row, uptime) };
  built.set(row.key, { row, uptime, table });
  return table;
}
