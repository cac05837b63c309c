const UNITS = ['B', 'K', 'M', 'G', 'T', 'P'];

/** Compact byte count: 512B, 1.5K, 34M, 2.0G. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit > 0 && value < 10 ? 1 : 0;
  return `${value.toFixed(digits)}${UNITS[unit]}`;
}

export function formatPercent(percent: number): string {
  return `${percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}

/** Compact duration: 45s, 12m, 3h05m, 2d04h. */
export function formatUptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

/** When `formatUptime(t - startedAt)` next shows another text (epoch ms, after `now`). */
export function nextUptimeChange(startedAt: number, now: number): number {
  const elapsed = Math.max(0, now - startedAt);
  const step = elapsed < 60_000 ? 1000 : elapsed < 86_400_000 ? 60_000 : 3_600_000;
  return startedAt + (Math.floor(elapsed / step) + 1) * step;
}

/** Local wall-clock time HH:MM:SS. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
}

export function formatMemory(used: number, limit: number | undefined): string {
  return limit === undefined ? formatBytes(used) : `${formatBytes(used)}/${formatBytes(limit)}`;
}

export function formatNetRate(rx: number, tx: number): string {
  return `↓${formatBytes(rx)} ↑${formatBytes(tx)}`;
}
