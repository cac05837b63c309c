import type { CommandLineOptions } from '../detectors/command-line.js';
import type { IoThresholds } from '../detectors/io-volume.js';
import type { ResponsePolicy } from '../response/policy.js';

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
