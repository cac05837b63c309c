import { TITLES, type Alert } from '../alert.js';
import type { IoCounters } from '../sources/io-stat-parse.js';

/**
 * "Large workspace read/write detected": the bytes a container read or wrote between two samples
 * of its cgroup counters, against `[monitoring] file_{read,write}_threshold_mb` and
 * `…_rate_mb_per_sec`. A threshold of 0 turns that check off.
 */

export interface IoThresholds {
  readMb: number;
  readRateMbPerSec: number;
  writeMb: number;
  writeRateMbPerSec: number;
}

const MB = 1024 * 1024;

export class IoVolumeDetector {
  private last?: { counters: IoCounters; atMs: number };

  constructor(private readonly thresholds: IoThresholds) {}

  /** The first sample is the baseline. Counters that went down (cgroup recreated) count as 0. */
  observe(counters: IoCounters, nowMs: number): Alert[] {
    const last = this.last;
    this.last = { counters, atMs: nowMs };
    if (!last || nowMs <= last.atMs) return [];
    const seconds = (nowMs - last.atMs) / 1000;
    const t = this.thresholds;
    return [
      check(
        'read',
        counters.readBytes - last.counters.readBytes,
        seconds,
        t.readMb,
        t.readRateMbPerSec,
      ),
      check(
        'write',
        counters.writeBytes - last.counters.writeBytes,
        seconds,
        t.writeMb,
        t.writeRateMbPerSec,
      ),
    ].filter((a): a is Alert => a !== undefined);
  }
}

function check(
  direction: 'read' | 'write',
  deltaBytes: number,
  seconds: number,
  thresholdMb: number,
  rateThreshold: number,
): Alert | undefined {
  const mb = Math.max(0, deltaBytes) / MB;
  const rate = mb / seconds;
  const overVolume = thresholdMb > 0 && mb > thresholdMb;
  const overRate = rateThreshold > 0 && rate > rateThreshold;
  if (!overVolume && !overRate) return undefined;
  const round = (n: number) => Math.round(n * 10) / 10;
  const verb = direction === 'read' ? 'read' : 'wrote';
  return {
    level: 'high',
    category: 'filesystem',
    title: direction === 'read' ? TITLES.largeRead : TITLES.largeWrite,
    description:
      `Container ${verb} ${round(mb)} MB in ${round(seconds)} s (${round(rate)} MB/s; ` +
      `limits ${thresholdMb} MB, ${rateThreshold} MB/s)`,
    evidence: {
      filesystem: {
        direction,
        bytes_mb: round(mb),
        rate_mb_per_sec: round(rate),
        threshold_mb: thresholdMb,
        rate_threshold_mb_per_sec: rateThreshold,
        duration_sec: round(seconds),
      },
    },
  };
}
