import type { ContainerTopRow, ProcessTopRow } from './rows.js';

/** `coi top`'s text output, laid out as the Go coi's (tab-aligned columns, 2 spaces apart). */

export const NO_RUNNING_CONTAINERS = 'No running containers.';
const COMMAND_WIDTH = 60;
const MB = 1024 * 1024;

/** `512 B`, `1.5 KB`, `256.0 MB`, `1.0 GB`: powers of 1024, one decimal. */
export function formatSize(bytes: number): string {
  const b = Math.trunc(bytes);
  if (b < 1024) return `${b} B`;
  let div = 1024;
  let exp = 0;
  for (let n = Math.floor(b / 1024); n >= 1024; n = Math.floor(n / 1024)) {
    div *= 1024;
    exp++;
  }
  return `${fixed(b / div, 1)} ${'KMGTPE'[exp]}B`;
}

/** Like Go's `%.Nf`: an exact half rounds to the even digit (1.25 → 1.2), where toFixed goes up. */
export function fixed(value: number, digits: number): string {
  const scale = 10 ** digits;
  const scaled = value * scale;
  const floor = Math.floor(scaled);
  const rounded = scaled - floor === 0.5 ? floor + (floor % 2) : Math.round(scaled);
  return (rounded / scale).toFixed(digits);
}

export function formatRate(mbPerSecond: number): string {
  return `${formatSize(mbPerSecond * MB)}/s`;
}

/** Used memory, and `/limit` when there is one. */
export function formatMemory(usedMb: number, limitMb?: number): string {
  const used = formatSize(usedMb * MB);
  return limitMb ? `${used}/${formatSize(limitMb * MB)}` : used;
}

/** A path under `home` as `~/…`. */
export function collapseHome(path: string, home: string): string {
  if (!home || !path) return path;
  if (path === home) return '~';
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

/** At most `limit` characters, the last one `…` when cut. */
export function truncate(text: string, limit: number): string {
  const chars = [...text];
  return limit <= 1 || chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}

/** Columns as wide as their widest cell plus 2; the last column is not padded. */
export function alignColumns(lines: string[][]): string {
  const widths: number[] = [];
  for (const cells of lines)
    cells.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  return lines
    .map((cells) =>
      cells.map((cell, i) => (i < cells.length - 1 ? pad(cell, widths[i]! + 2) : cell)).join(''),
    )
    .map((line) => `${line}\n`)
    .join('');
}

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

const dashIfEmpty = (text: string | undefined) => text || '-';
const percent = (p: number) => `${fixed(p, 0)}%`;

export function formatContainerTable(rows: ContainerTopRow[], home: string): string {
  return alignColumns([
    ['CONTAINER', 'ALIAS', 'CPU%', 'MEM', 'DISK R/W', 'NET R/W', 'WORKSPACE'],
    ...rows.map((r) => [
      r.name,
      dashIfEmpty(r.alias),
      percent(r.cpu_percent),
      formatMemory(r.memory_mb, r.memory_limit_mb),
      `${formatRate(r.disk_read_mb_per_sec)} / ${formatRate(r.disk_write_mb_per_sec)}`,
      `${formatRate(r.net_rx_mb_per_sec)} / ${formatRate(r.net_tx_mb_per_sec)}`,
      dashIfEmpty(collapseHome(r.workspace ?? '', home)),
    ]),
  ]);
}

/** With a CONTAINER column when the rows span every container. */
export function formatProcessTable(rows: ProcessTopRow[], showContainer: boolean): string {
  const lead = showContainer ? ['CONTAINER'] : [];
  const table = alignColumns([
    [...lead, 'PID', 'USER', 'CPU%', 'MEM', 'COMMAND'],
    ...rows.map((r) => [
      ...(showContainer ? [r.container] : []),
      String(r.pid),
      dashIfEmpty(r.user),
      percent(r.cpu_percent),
      formatMemory(r.memory_mb),
      truncate(r.command, COMMAND_WIDTH),
    ]),
  ]);
  return rows.length > 0
    ? `${table}\nPIDs are host-side — kill a runaway with: sudo kill <PID>\n`
    : table;
}
