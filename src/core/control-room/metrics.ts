import type { InstanceFull } from '../../incus/instance-types.js';
import type { RoomMetrics } from './types.js';

interface Sample {
  at: number;
  cpuNs: number;
  rx: number;
  tx: number;
}

/**
 * Turns successive instance states into rates: CPU % (of one core, so 200 % = two cores busy) and
 * network bytes per second, from the deltas between two samples.
 */
export class MetricsCalculator {
  private readonly last = new Map<string, Sample>();

  sample(instances: InstanceFull[], at = Date.now()): Record<string, RoomMetrics> {
    const batch: Record<string, RoomMetrics> = {};
    const seen = new Set<string>();
    for (const i of instances) {
      const state = i.state;
      if (!state || i.status !== 'Running') continue;
      seen.add(i.name);
      const net = Object.values(state.network ?? {}).filter((n) => n.type !== 'loopback');
      const current: Sample = {
        at,
        cpuNs: state.cpu.usage,
        rx: net.reduce((s, n) => s + n.counters.bytes_received, 0),
        tx: net.reduce((s, n) => s + n.counters.bytes_sent, 0),
      };
      const prev = this.last.get(i.name);
      this.last.set(i.name, current);
      const seconds = prev ? (at - prev.at) / 1000 : 0;
      const rate = (now: number, before: number) =>
        seconds > 0 ? Math.max(0, now - before) / seconds : 0;
      batch[i.name] = {
        cpuPercent:
          prev && seconds > 0 ? (Math.max(0, current.cpuNs - prev.cpuNs) / 1e9 / seconds) * 100 : 0,
        memoryUsedBytes: state.memory.usage,
        ...(hasLimit(i) ? { memoryLimitBytes: state.memory.total } : {}),
        netRxBytesPerSec: prev ? rate(current.rx, prev.rx) : 0,
        netTxBytesPerSec: prev ? rate(current.tx, prev.tx) : 0,
      };
    }
    for (const name of this.last.keys()) if (!seen.has(name)) this.last.delete(name);
    return batch;
  }
}

/** Incus reports host memory as `total` when the container has no hard limit. */
function hasLimit(i: InstanceFull): boolean {
  return (
    !!i.expanded_config['limits.memory'] && i.expanded_config['limits.memory.enforce'] !== 'soft'
  );
}
