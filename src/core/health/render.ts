import { healthChecks } from './run.js';
import type { Category, HealthReport } from './types.js';

const TITLES: Record<Category, string> = {
  system: 'SYSTEM',
  critical: 'CRITICAL',
  networking: 'NETWORKING',
  monitoring: 'MONITORING',
  storage: 'STORAGE',
  configuration: 'CONFIGURATION',
  status: 'STATUS',
};
const MARK = { ok: '[OK]  ', warning: '[WARN]', failed: '[FAIL]' } as const;
const LABEL_WIDTH = 18;

/** The text report: checks grouped by category, then the verdict and counts. */
export function renderHealth(report: HealthReport, verbose = false): string {
  const lines = ['coi health check', '=========================='];
  for (const [category, title] of Object.entries(TITLES)) {
    const checks = healthChecks.filter((c) => c.category === category && report.checks[c.key]);
    if (checks.length === 0) continue;
    lines.push('', `${title}:`);
    for (const check of checks) {
      const r = report.checks[check.key]!;
      lines.push(`  ${MARK[r.status]} ${r.name.padEnd(LABEL_WIDTH)}: ${r.message}`);
      if (verbose && r.details)
        for (const [k, v] of Object.entries(r.details))
          lines.push(`           ${k}: ${JSON.stringify(v)}`);
    }
  }
  const { total, warnings, failed } = report.summary;
  lines.push('', `STATUS: ${report.status.toUpperCase()}`);
  if (failed) lines.push(`${failed} of ${total} checks failed, ${warnings} warnings`);
  else if (warnings) lines.push(`${total - warnings} checks passed with ${warnings} warnings`);
  else lines.push(`All ${total} checks passed`);
  return `${lines.join('\n')}\n`;
}
