import type { CommandLineOptions } from '../detectors/command-line.js';
import type { IoThresholds } from '../detectors/io-volume.js';
import type { ProcessThresholds } from '../detectors/process-count.js';
import type { RecordedMonitoring } from '../../shared/instance-keys.js';
import type { ResponsePolicy } from '../response/policy.js';

/** The `[monitoring]` settings the monitor daemon works with. */
export interface MonitorSettings {
  policy: ResponsePolicy;
  forensicsOnKill: boolean;
  commandLine: CommandLineOptions;
  io: IoThresholds;
  process: ProcessThresholds;
  dnsQueryThreshold: number;
  retentionDays: number;
  /**
   * `[monitoring] process_events`: find process starts by the kernel's exec events (the /proc
   * poll still runs, and alone finds them when the events cannot be had).
   */
  processEvents: boolean;
  /** The code user's uid in containers, for terminal notices in its tmux session. */
  codeUid: number;
}

/** The daemon's settings with the thresholds a container's launch recorded in their place. */
export function containerSettings(
  base: MonitorSettings,
  recorded: RecordedMonitoring | undefined,
): MonitorSettings {
  if (!recorded) return base;
  const r = recorded;
  return {
    ...base,
    policy:
      r.auto_pause_on_high === undefined && r.auto_kill_on_critical === undefined
        ? base.policy
        : {
            autoPauseOnHigh: r.auto_pause_on_high ?? base.policy.autoPauseOnHigh,
            autoKillOnCritical: r.auto_kill_on_critical ?? base.policy.autoKillOnCritical,
          },
    dnsQueryThreshold: r.dns_query_threshold ?? base.dnsQueryThreshold,
    commandLine: {
      ...base.commandLine,
      oneLiners: r.reverse_shell_one_liners ?? base.commandLine.oneLiners,
    },
    io: {
      readMb: r.file_read_threshold_mb ?? base.io.readMb,
      readRateMbPerSec: r.file_read_rate_mb_per_sec ?? base.io.readRateMbPerSec,
      writeMb: r.file_write_threshold_mb ?? base.io.writeMb,
      writeRateMbPerSec: r.file_write_rate_mb_per_sec ?? base.io.writeRateMbPerSec,
    },
    process: {
      count: r.process_count_threshold ?? base.process.count,
      growthPerSec: r.process_spawn_rate_threshold ?? base.process.growthPerSec,
    },
  };
}
