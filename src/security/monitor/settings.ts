import type { Config } from '../../core/config/index.js';
import type { CommandLineOptions } from '../detectors/command-line.js';
import type { IoThresholds } from '../detectors/io-volume.js';
import type { ResponsePolicy } from '../responder-policy.js';

/** The `[monitoring]` settings the monitor daemon works with. */
export interface MonitorSettings {
  policy: ResponsePolicy;
  forensicsOnKill: boolean;
  commandLine: CommandLineOptions;
  io: IoThresholds;
  dnsQueryThreshold: number;
  retentionDays: number;
  /** The code user's uid in containers, for terminal notices in its tmux session. */
  codeUid: number;
}

export function monitorSettings(config: Config): MonitorSettings {
  const m = config.monitoring;
  return {
    policy: { autoPauseOnHigh: m.auto_pause_on_high, autoKillOnCritical: m.auto_kill_on_critical },
    forensicsOnKill: m.forensics_on_kill,
    commandLine: { oneLiners: m.reverse_shell_one_liners },
    io: {
      readMb: m.file_read_threshold_mb,
      readRateMbPerSec: m.file_read_rate_mb_per_sec,
      writeMb: m.file_write_threshold_mb,
      writeRateMbPerSec: m.file_write_rate_mb_per_sec,
    },
    dnsQueryThreshold: m.nft.dns_query_threshold,
    retentionDays: m.audit_log_retention_days,
    codeUid: config.incus.code_uid,
  };
}
