import type { MonitorStatus } from '../../security/monitor/daemon.js';
import { daemonFacts } from './daemon-facts.js';
import { fail, ok, withIncus, type HealthCheck } from './types.js';

export interface ProxyFacts {
  /** The daemon's answer to `status`, undefined when none answers. */
  status: MonitorStatus | undefined;
  /** Running coi containers in allowlist mode: their HTTP(S) goes through the proxy only. */
  allowlisted: string[];
}

/** Allowlist containers have no HTTP(S) egress without the proxy (fail closed): say why. */
export function proxyVerdict({ status, allowlisted }: ProxyFacts) {
  const who = `${allowlisted.length} allowlist container(s) (${allowlisted.join(', ')})`;
  const proxy = status?.egressProxy;
  const down = !status
    ? 'the monitor daemon, which runs it, is not running'
    : !proxy
      ? `the monitor daemon (pid ${status.pid}) runs without it`
      : proxy.state !== 'serving'
        ? `it is ${proxy.state} in the monitor daemon (pid ${status.pid})`
        : undefined;
  if (down === undefined)
    return ok(
      `serving ${proxy!.targets} destination(s) for ${allowlisted.length} allowlist container(s); ` +
        `${proxy!.allowed} connection(s) allowed, ${proxy!.refused} refused`,
      { ...proxy, containers: allowlisted },
    );
  if (allowlisted.length === 0) return ok(`not running (${down}); no allowlist container runs`);
  return fail(`down: ${down}, so ${who} have no HTTP/HTTPS egress`, {
    containers: allowlisted,
  });
}

export const proxyChecks: HealthCheck[] = [
  {
    key: 'egress_proxy',
    name: 'Egress proxy',
    category: 'networking',
    run: (env) =>
      withIncus(env, async (incus) => {
        const { status, running } = await daemonFacts(incus, env);
        return proxyVerdict({
          status,
          allowlisted: running.filter((c) => c.networkMode === 'allowlist').map((c) => c.name),
        });
      }),
    manualFix: (r) =>
      r.status === 'failed'
        ? 'start the monitor daemon: `coi monitor --daemon &` (the containers get HTTP/HTTPS back as they resolve names again)'
        : undefined,
  },
];
