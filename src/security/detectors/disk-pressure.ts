import type { Alert } from '../alert.js';

/**
 * "Low disk space on <path>" (warning) when the container's root disk or its /tmp is more than
 * 80 % full, as the Go coi reports /tmp. Raised once when a filesystem crosses the line, and
 * again only after it dropped below it.
 */

export interface DiskUsage {
  /** The mount point inside the container. */
  path: string;
  usedPercent: number;
  freeMb: number;
}

export const DISK_FULL_PERCENT = 80;

export class DiskPressureDetector {
  private readonly over = new Set<string>();

  observe(usages: readonly DiskUsage[]): Alert[] {
    const alerts: Alert[] = [];
    for (const u of usages) {
      if (u.usedPercent <= DISK_FULL_PERCENT) {
        this.over.delete(u.path);
        continue;
      }
      if (this.over.has(u.path)) continue;
      this.over.add(u.path);
      alerts.push({
        level: 'warning',
        category: 'filesystem',
        title: `Low disk space on ${u.path}`,
        description: `${u.path} in the container is ${u.usedPercent} % full (${u.freeMb} MB free; warning above ${DISK_FULL_PERCENT} %)`,
        evidence: {
          disk: {
            path: u.path,
            used_percent: u.usedPercent,
            free_mb: u.freeMb,
            threshold_percent: DISK_FULL_PERCENT,
          },
        },
      });
    }
    return alerts;
  }
}
