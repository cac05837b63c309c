import type { MonitorStatus } from '../../security/monitor/daemon.js';
import type { AnyNameListener, ProxyStatus } from '../../security/proxy/egress-proxy.js';
import { daemonFacts } from './daemon-facts.js';
import { fail, ok, warn, withIncus, type HealthCheck } from './types.js';

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
  if (down === undefined) {
    const serving =
      `serving ${proxy!.targets} destination(s) for ${allowlisted.length} allowlist container(s)${also}; ` +
      `${proxy!.allowed} connection(s) allowed, ${proxy!.refused} refused`;
    const details = { ...proxy, containers: [...allowlisted, ...anyName] };
    const closed = closedAnyNamePorts(proxy!);
    if (closed.length === 0) return ok(serving, details);
    return closedVerdict(serving, closed, anyName)({ ...details, pid: status!.pid });
  }
  if (who === '') return ok(`not running (${down}); no allowlist container runs`);
  return fail(`down: ${down}, so ${who} have no HTTP/HTTPS egress`, {
    containers: [...allowlisted, ...anyName],
  });
}

function closedAnyNamePorts(proxy: ProxyStatus): AnyNameListener[] {
  return (proxy.anyNameListeners ?? []).filter((listener) => listener.error !== undefined);
}

/**
 * Serving, but without an any-name port it should hold: injection in open and restricted mode
 * (`inject_in_open`) is broken, a failure once such a container runs.
 */
function closedVerdict(serving: string, closed: AnyNameListener[], anyName: string[]) {
  const ports = closed.map((l) => `${l.port} (their port ${l.for}: ${l.error ?? ''})`).join(', ');
  const lost = closed.map((l) => (l.for === 443 ? 'HTTPS' : 'HTTP')).join('/');
  const who =
    anyName.length > 0
      ? `${anyName.length} inject_in_open container(s) (${anyName.join(', ')}) have no ${lost} egress`
      : `inject_in_open containers launched now would have no ${lost} egress`;
  const message =
    `${serving}; but it does not listen on its any-name port(s) ${ports}, so credential ` +
    `injection in open/restricted mode does not work: ${who}; free the port(s), then restart the monitor daemon`;
  return (details: Record<string, unknown>) =>
    anyName.length > 0 ? fail(message, details) : warn(message, details);
}

/** Free the port, then restart the daemon: the proxy binds its any-name ports once, at start. */
function closedPortsFix(details: Record<string, unknown> | undefined): string | undefined {
  const listeners = (details?.anyNameListeners ?? []) as AnyNameListener[];
  const ports = listeners.filter((l) => l.error !== undefined).map((l) => l.port);
  if (ports.length === 0) return undefined;
  const who = ports.map((p) => `\`ss -ltnp 'sport = :${p}'\``).join(', ');
  return (
    `free port(s) ${ports.join(', ')} on the bridge gateway (${who} shows what holds them), then restart the ` +
    `monitor daemon: \`kill ${String(details?.pid)}\`, then \`coi monitor --daemon &\``
  );
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
      closedPortsFix(r.details) ??
      (r.status === 'failed'
        ? 'start the monitor daemon: `coi monitor --daemon &` (the containers get HTTP/HTTPS back as they resolve names again)'
        : undefined),
  },
];
