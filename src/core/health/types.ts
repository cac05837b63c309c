import type { Incus } from '../../incus/index.js';
import type { Server } from '../../incus/server.js';
import type { LoadedConfig } from '../config/index.js';

export type CheckStatus = 'ok' | 'warning' | 'failed';

export type Category =
  'system' | 'critical' | 'networking' | 'monitoring' | 'storage' | 'configuration' | 'status';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  message: string;
  details?: Record<string, unknown>;
}

/** One check: a key (the JSON name, as Go coi has it), a label and where it is shown. */
export interface HealthCheck {
  key: string;
  name: string;
  category: Category;
  /** Only with --verbose. */
  verbose?: boolean;
  run(env: HealthEnv): Promise<Omit<CheckResult, 'name'>> | Omit<CheckResult, 'name'>;
  /** What the user can do about a warning or failure that `--fix` does not mend. */
  manualFix?: (result: CheckResult) => string | undefined;
}

/** What the checks look at, gathered once. */
export interface HealthEnv {
  /** Undefined when the daemon does not answer (`incusError` says why). */
  incus?: Incus;
  server?: Server;
  incusError?: string;
  /** The config, or why it could not be loaded. */
  config: { loaded: LoadedConfig } | { error: string };
  coiDir: string;
  prefix: string;
  /** The host user's home (default: this process's). */
  home?: string;
}

export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthReport {
  status: OverallStatus;
  timestamp: string;
  checks: Record<string, CheckResult>;
  summary: { total: number; passed: number; warnings: number; failed: number };
}

export const ok = (message: string, details?: Record<string, unknown>) => ({
  status: 'ok' as const,
  message,
  ...(details ? { details } : {}),
});
export const warn = (message: string, details?: Record<string, unknown>) => ({
  status: 'warning' as const,
  message,
  ...(details ? { details } : {}),
});
export const fail = (message: string, details?: Record<string, unknown>) => ({
  status: 'failed' as const,
  message,
  ...(details ? { details } : {}),
});

/** For checks that need the daemon: runs `body` or reports why it could not. */
export async function withIncus(
  env: HealthEnv,
  body: (incus: Incus) => Promise<Omit<CheckResult, 'name'>>,
): Promise<Omit<CheckResult, 'name'>> {
  if (!env.incus) return fail(`not checked: Incus is not reachable (${env.incusError ?? '?'})`);
  return body(env.incus);
}
