import type { MonitorSettings } from '../../security/monitor/settings.js';
import type { RecordedMonitoring } from '../../shared/instance-keys.js';
import type { Config } from '../config/index.js';

/** The monitor daemon's settings from the `[monitoring]` section of the effective config. */
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
    process: { count: m.process_count_threshold, growthPerSec: m.process_spawn_rate_threshold },
    dnsQueryThreshold: m.nft.dns_query_threshold,
    retentionDays: m.audit_log_retention_days,
    processEvents: m.process_events,
    codeUid: config.incus.code_uid,
  };
}

/** The thresholds a launch records on its container for the monitor daemon to apply. */
export function recordedMonitoring(config: Config): RecordedMonitoring {
  const m = config.monitoring;
  return {
    process_count_threshold: m.process_count_threshold,
    process_spawn_rate_threshold: m.process_spawn_rate_threshold,
    file_read_threshold_mb: m.file_read_threshold_mb,
    file_read_rate_mb_per_sec: m.file_read_rate_mb_per_sec,
    file_write_threshold_mb: m.file_write_threshold_mb,
    file_write_rate_mb_per_sec: m.file_write_rate_mb_per_sec,
    reverse_shell_one_liners: m.reverse_shell_one_liners,
    auto_pause_on_high: m.auto_pause_on_high,
    auto_kill_on_critical: m.auto_kill_on_critical,
    dns_query_threshold: m.nft.dns_query_threshold,
  };
}
