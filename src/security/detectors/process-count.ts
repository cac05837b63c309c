import { TITLES, type Alert } from '../alert.js';

/**
 * Fork bombs from the container's process count (its cgroup's `pids.current`), sampled by the
 * caller: "Process count spike detected" (critical) once the count passes
 * `process_count_threshold`, "Process spawn rate spike detected" (high, so the container is
 * frozen while it is looked at) when the count grows faster than `process_spawn_rate_threshold`
 * processes per second. Growth, not starts, is measured: a test runner starting hundreds of
 * short processes adds few at a time, a fork bomb only adds. A threshold of 0 turns that check off.
 */

export interface ProcessThresholds {
  count: number;
  growthPerSec: number;
}

export class ProcessCountDetector {
  private last?: { count: number; atMs: number };

  constructor(private readonly thresholds: ProcessThresholds) {}

  /** The first sample is the baseline for growth; the count is checked from the first sample. */
  observe(count: number, nowMs: number): Alert[] {
    const last = this.last;
    this.last = { count, atMs: nowMs };
    const seconds = last && nowMs > last.atMs ? (nowMs - last.atMs) / 1000 : 0;
    const growth = seconds > 0 ? Math.max(0, count - last!.count) / seconds : 0;
    const t = this.thresholds;
    const evidence = {
      process_count: {
        count,
        growth_per_sec: Math.round(growth),
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
          `Container's process count grew by ${count - last!.count} in ${round(seconds)} s ` +
          `(${Math.round(growth)}/s; limit ${t.growthPerSec}/s): possible fork bomb`,
        evidence,
      });
    return alerts;
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
