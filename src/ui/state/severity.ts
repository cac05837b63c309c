import type { Severity } from './types.js';

export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'high', 'critical'];

const RANK: Record<Severity, number> = { info: 0, warning: 1, high: 2, critical: 3 };

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

export function maxSeverity(
  a: Severity | undefined,
  b: Severity | undefined,
): Severity | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

const LABEL: Record<Severity, string> = {
  info: 'INFO',
  warning: 'WARN',
  high: 'HIGH',
  critical: 'CRIT',
};

export function severityLabel(severity: Severity): string {
  return LABEL[severity];
}

const COLOR: Record<Severity, string> = {
  info: 'gray',
  warning: 'yellow',
  high: 'red',
  critical: 'redBright',
};

export function severityColor(severity: Severity): string {
  return COLOR[severity];
}
