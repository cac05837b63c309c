import type { MonitorStatus } from '../../security/monitor/daemon.js';
import { processStartsSummary } from '../../security/sources/exec-events.js';
import { daemonFacts } from './daemon-facts.js';
import { fail, ok, warn, withIncus, type HealthCheck } from './types.js';

export interface MonitorFacts {
  /** `[monitoring] enabled`; undefined when the config does not load. */
  enabled: boolean | undefined;
  /** The daemon's answer to `status`, undefined when none answers. */
  status: MonitorStatus | undefined;
  /** Running coi containers launched with monitoring on. */
  monitored: string[];
}

/**
 * The daemon starts with the first monitored session and watches every running coi container: not
 * running is fine while there is nothing to watch, a failure when something runs unwatched.
 */
export function monitorVerdict({ enabled, status, monitored }: MonitorFacts) {
  if (enabled === false && monitored.length === 0)
    return ok('off ([monitoring] enabled = false): sessions are not watched for attacks');
  if (!status)
    return monitored.length
      ? fail(
          `not running: ${monitored.length} container(s) run unwatched (${monitored.join(', ')})`,
          {
            unwatched: monitored,
          },
        )
      : ok('not running; it starts with the first monitored session');
  const watched = new Set(status.containers);
  const unwatched = monitored.filter((name) => !watched.has(name));
  const details = {
    pid: status.pid,
    watching: status.containers,
    alerts: status.alerts,
    process_starts: processStartsSummary(status.processEvents),
  };
  if (unwatched.length)
    return warn(`pid ${status.pid} does not watch ${unwatched.join(', ')} (yet)`, {
      ...details,
      unwatched,
    });
  const watching = `pid ${status.pid}, watching ${status.containers.length} container(s), ${status.alerts} alert(s) so far`;
  // Wanted but not had: short-lived processes can slip past the poll.
  return status.processEvents?.state === 'failed'
    ? warn(`${watching}; ${details.process_starts}`, details)
    : ok(watching, details);
}

export const monitoringChecks: HealthCheck[] = [
  {
    key: 'monitoring_daemon',
    name: 'Monitor daemon',
    category: 'monitoring',
    run: (env) =>
      withIncus(env, async (incus) => {
        const { status, running } = await daemonFacts(incus, env);
        return monitorVerdict({
          enabled: 'loaded' in env.config ? env.config.loaded.config.monitoring.enabled : undefined,
          status,
          monitored: running.filter((c) => c.monitored).map((c) => c.name),
        });
      }),
    manualFix: (r) =>
      r.status === 'failed'
        ? 'start it: `coi monitor --daemon &` (or end and restart the unwatched sessions)'
        : undefined,
  },
];
