import { Incus } from '../../incus/index.js';
import { IncusError } from '../../incus/errors.js';
import { loadConfig } from '../config/index.js';
import { configChecks } from './config-checks.js';
import { incusChecks } from './incus-checks.js';
import { loginChecks } from './login-checks.js';
import { monitoringChecks } from './monitoring-checks.js';
import { networkChecks } from './network-checks.js';
import { probeChecks } from './probe-checks.js';
import { proxyChecks } from './proxy-checks.js';
import { statusChecks } from './status-checks.js';
import { storageChecks } from './storage-checks.js';
import { systemChecks } from './system-checks.js';
import {
  fail,
  type CheckResult,
  type HealthCheck,
  type HealthEnv,
  type HealthReport,
  type OverallStatus,
} from './types.js';

export const healthChecks: HealthCheck[] = [
  ...systemChecks,
  ...incusChecks,
  ...networkChecks,
  ...probeChecks,
  ...monitoringChecks,
  ...proxyChecks,
  ...storageChecks,
  ...configChecks,
  ...loginChecks,
  ...statusChecks,
];

export interface HealthOptions {
  workspace: string;
  coiDir: string;
  prefix: string;
  home?: string;
  verbose?: boolean;
}

/**
 * Runs every check. A broken config or an unreachable daemon is a finding, never a crash:
 * checks that need what is missing report that instead.
 */
export async function runHealth(opts: HealthOptions): Promise<HealthReport> {
  let config: HealthEnv['config'];
  try {
    config = {
      loaded: loadConfig({ cwd: opts.workspace, ...(opts.home ? { home: opts.home } : {}) }),
    };
  } catch (err) {
    config = { error: (err as Error).message };
  }
  const project = 'loaded' in config ? config.loaded.config.incus.project : undefined;
  const incus = Incus.local(project ? { project } : {});
  const env: HealthEnv = {
    config,
    coiDir: opts.coiDir,
    prefix: opts.prefix,
    ...(opts.home ? { home: opts.home } : {}),
  };
  try {
    try {
      env.server = await incus.server.get();
      env.incus = incus;
    } catch (err) {
      env.incusError = (err as Error).message;
    }
    const checks = healthChecks.filter((c) => opts.verbose || !c.verbose);
    const results = await Promise.all(
      checks.map(async (check): Promise<[string, CheckResult]> => {
        let result;
        try {
          result = await check.run(env);
        } catch (err) {
          const reason =
            err instanceof IncusError || err instanceof Error ? err.message : String(err);
          result = fail(`check failed: ${reason}`);
        }
        return [check.key, { name: check.name, ...result }];
      }),
    );
    return report(Object.fromEntries(results));
  } finally {
    await incus.close();
  }
}

export function report(checks: Record<string, CheckResult>): HealthReport {
  const all = Object.values(checks);
  const failed = all.filter((c) => c.status === 'failed').length;
  const warnings = all.filter((c) => c.status === 'warning').length;
  const status: OverallStatus = failed ? 'unhealthy' : warnings ? 'degraded' : 'healthy';
  return {
    status,
    timestamp: new Date().toISOString(),
    checks,
    summary: { total: all.length, passed: all.length - failed - warnings, warnings, failed },
  };
}

/** 0 healthy, 1 degraded, 2 unhealthy. */
export function healthExitCode(status: OverallStatus): number {
  return status === 'healthy' ? 0 : status === 'degraded' ? 1 : 2;
}
