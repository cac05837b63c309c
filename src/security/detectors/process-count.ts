import { TITLES, type Alert } from '../alert.js';

/**
 * Fork bombs from the container's process count (its cgroup's `pids.current`), sampled by the
 * caller: "Process count spike detected" (critical) once the count passes
 * `process_count_threshold`, "Process spawn rate spike detected" (high, so the container is
 * frozen while it is looked at) when the count grows faster than `process_spawn_rate_threshold`
 * processes within a second. Growth, not starts, is measured: a test runner starting hundreds of
 * short processes adds few at a time, a fork bomb only adds. A threshold of 0 turns that check off.
 */

export interface ProcessThresholds {
  count: number;
  growthPerSec: number;
}

/** Growth is measured over this much time, so a parallel build's burst of starts stays below it. */
export const GROWTH_WINDOW_MS = 1000;

export class ProcessCountDetector {
  private samples: Array<{ count: number; atMs: number }> = [];

  constructor(private readonly thresholds: ProcessThresholds) {}

  /** Growth is the count now less the lowest count sampled within the last second. */
  observe(count: number, nowMs: number): Alert[] {
    this.samples = this.samples.filter((s) => s.atMs > nowMs - GROWTH_WINDOW_MS && s.atMs <= nowMs);
    const lowest = Math.min(count, ...this.samples.map((s) => s.count));
    this.samples.push({ count, atMs: nowMs });
    const growth = count - lowest;
    const t = this.thresholds;
    const evidence = {
      process_count: {
        count,
        growth_per_sec: growth,
        count_threshold: t.count,
        growth_threshold_per_sec: t.growthPerSec,
      },
    };
    const alerts: Alert[] = [];
    if (t.count > 0 && count > t.count)
      alerts.push({
        level: 'critical',
        category: 'process',
        title: TITLES.processCount,
        description: `Container runs ${count} processes (limit ${t.count}): possible fork bomb`,
        evidence,
      });
    if (t.growthPerSec > 0 && growth > t.growthPerSec)
      alerts.push({
        level: 'high',
        category: 'process',
        title: TITLES.spawnRate,
        description:
          `Container's process count grew by ${growth} within a second to ${count} ` +
          `(limit ${t.growthPerSec}/s): possible fork bomb`,
        evidence,
      });
    return alerts;
  }
}
