import { TITLES, type Alert } from '../alert.js';
import type { ProxyRequest, ProxyVerdict } from './decide.js';
import type { InjectedConnection } from './inject/injector.js';
import type { RefreshOutcome } from './inject/token-refresher.js';

export interface RefusedConnection {
  container: string;
  /** The container's address. */
  ip: string;
  sourcePort: number;
  /** The destination it connected to. */
  address: string;
  request: ProxyRequest;
  verdict: Extract<ProxyVerdict, { allow: false }>;
  /** An `inject_in_open` container's: every name passes, the address is the host's answer. */
  anyName?: boolean;
}

/** A connection the proxy let through, by the name it carried. */
export type AllowedConnection = Pick<
  RefusedConnection,
  'container' | 'ip' | 'address' | 'request' | 'anyName'
>;

/** The alert for a refusal the user should hear of; undefined for unreadable first bytes. */
export function refusalAlert(r: RefusedConnection): Alert | undefined {
  if (r.verdict.kind === 'unreadable') return undefined;
  const mismatch = r.verdict.kind === 'name-not-allowed';
  const title =
    r.verdict.kind === 'blocked'
      ? TITLES.proxyBlocked
      : mismatch
        ? TITLES.proxyNameRefused
        : TITLES.proxyNoName;
  return {
    level: mismatch ? 'high' : 'warning',
    category: 'network',
    title,
    description: r.anyName
      ? `Container ${r.container} asked the egress proxy for ${r.request.name ?? 'no name'} on port ` +
        `${r.request.port} (inject_in_open), but ${r.verdict.reason}; the proxy refused it`
      : `Container ${r.container} connected to ${r.address}:${r.request.port}, an address its ` +
        `allowlist admits, but ${r.verdict.reason}; the egress proxy refused it`,
    evidence: {
      network: {
        container_ip: r.ip,
        protocol: r.request.protocol,
        src_ip: r.ip,
        dst_ip: r.address,
        src_port: r.sourcePort,
        dst_port: r.request.port,
        reason: r.verdict.reason,
      },
    },
  };
}

/**
 * The audit record of a request the proxy set a credential header on (`failure`: one it answered
 * itself instead; `upgrade`: the protocol an upgrade request asked for). It names the header,
 * never its value.
 */
export function injectionAlert(c: InjectedConnection, failure?: string, upgrade?: string): Alert {
  const what = `${c.rule.header} for ${c.name}`;
  const request = upgrade === undefined ? 'a request' : `an upgrade request (${upgrade})`;
  return {
    level: failure === undefined ? 'info' : 'warning',
    category: 'network',
    title: failure === undefined ? TITLES.proxyInjected : TITLES.proxyInjectFailed,
    description:
      failure === undefined
        ? `The egress proxy set ${what} on ${request} of ${c.container} (${c.address}:${c.port})`
        : `The egress proxy did not send a request of ${c.container} on: ${failure}`,
    evidence: injectedEvidence(
      c,
      failure ?? `injected ${what}${upgrade === undefined ? '' : ` on an upgrade to ${upgrade}`}`,
    ),
  };
}

/**
 * The audit record of a host login (OAuth) the proxy renewed before a request (`info`), or the
 * warning that it could not: the request went on with the token the file holds.
 */
export function refreshAlert(c: InjectedConnection, outcome: RefreshOutcome): Alert {
  const reason = outcome.ok
    ? `renewed the host login for ${c.rule.header} of ${c.name}`
    : `renewing the host login for ${c.rule.header} of ${c.name} failed: ${outcome.reason}`;
  return {
    level: outcome.ok ? 'info' : 'warning',
    category: 'network',
    title: outcome.ok ? TITLES.proxyLoginRefreshed : TITLES.proxyLoginRefreshFailed,
    description: outcome.ok
      ? `The egress proxy renewed the host's login for ${c.name} before a request of ${c.container}, and wrote it back on the host`
      : `The egress proxy could not renew the host's login for ${c.name} (${outcome.reason}); a request of ${c.container} went on with the token the host holds. Log in again with the tool on the host if this persists`,
    evidence: injectedEvidence(c, reason),
  };
}

/** Where an intercepted request went, and why the record was made. */
function injectedEvidence(c: InjectedConnection, reason: string): Alert['evidence'] {
  return {
    network: {
      container_ip: c.ip,
      protocol: 'https',
      src_ip: c.ip,
      dst_ip: c.address,
      src_port: c.sourcePort,
      dst_port: c.port,
      reason,
    },
  };
}
