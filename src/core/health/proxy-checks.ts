import type { MonitorStatus } from '../../security/monitor/daemon.js';
import { daemonFacts } from './daemon-facts.js';
import { fail, ok, withIncus, type HealthCheck } from './types.js';

export interface ProxyFacts {
  /** The daemon's answer to `status`, undefined when none answers. */
  status: MonitorStatus | undefined;
  /** Running coi containers in allowlist mode: their HTTP(S) goes through the proxy only. */
  allowlisted: string[];
  /** Running open or restricted containers with `inject_in_open`: the same (absent: none). */
  anyName?: string[];
}

/**
 * Allowlist and `inject_in_open` containers have no HTTP(S) egress without the proxy (fail
 * closed): say why.
 */
export function proxyVerdict({ status, allowlisted, anyName = [] }: ProxyFacts) {
  const listed = (names: string[], what: string) =>
    names.length > 0 ? [`${names.length} ${what} container(s) (${names.join(', ')})`] : [];
  const who = [...listed(allowlisted, 'allowlist'), ...listed(anyName, 'inject_in_open')].join(
    ' and ',
  );
  const also = anyName.length > 0 ? ` and ${anyName.length} inject_in_open container(s)` : '';
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
      `serving ${proxy!.targets} destination(s) for ${allowlisted.length} allowlist container(s)${also}; ` +
        `${proxy!.allowed} connection(s) allowed, ${proxy!.refused} refused`,
      { ...proxy, containers: [...allowlisted, ...anyName] },
    );
  if (who === '') return ok(`not running (${down}); no allowlist container runs`);
  return fail(`down: ${down}, so ${who} have no HTTP/HTTPS egress`, {
    containers: [...allowlisted, ...anyName],
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
          anyName: running
            .filter((c) => c.networkMode !== 'allowlist' && c.anyNameProxy)
            .map((c) => c.name),
        });
      }),
    manualFix: (r) =>
      r.status === 'failed'
        ? 'start the monitor daemon: `coi monitor --daemon &` (the containers get HTTP/HTTPS back as they resolve names again)'
        : undefined,
  },
];
