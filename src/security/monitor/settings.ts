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
  /**
   * `[monitoring] process_events`: find process starts by the kernel's exec events (the /proc
   * poll still runs, and alone finds them when the events cannot be had).
   */
  processEvents: boolean;
  /** The code user's uid in containers, for terminal notices in its tmux session. */
  codeUid: number;
}
