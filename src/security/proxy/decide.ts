import { matchAllowlist } from '../dns/allowlist-match.js';
import type { AllowlistDomain } from '../nft/policy.js';
import { portSpans } from '../../shared/ports.js';

/** `[network.proxy] no_sni`: TLS without SNI, or HTTP without Host, to an allowed address. */
export type NoSniPolicy = 'refuse' | 'allow';

export interface ProxyRequest {
  protocol: 'tls' | 'http';
  /** SNI or Host; undefined when the client named none. */
  name: string | undefined;
  port: number;
}

export type ProxyVerdict =
  | { allow: true }
  | {
      allow: false;
      reason: string;
      /** `blocked`: an any-name container's name resolves only to what its mode blocks. */
      kind: 'name-not-allowed' | 'no-name' | 'unreadable' | 'blocked';
    };

/**
 * Whether a connection to an allowed (learned) destination may go on, by the name it carries:
 * that name must be on the container's allowlist, for this port.
 */
export function decide(
  domains: readonly AllowlistDomain[],
  request: ProxyRequest,
  noSni: NoSniPolicy,
): ProxyVerdict {
  const what = request.protocol === 'tls' ? 'SNI' : 'Host';
  if (request.name === undefined)
    return noSni === 'allow'
      ? { allow: true }
      : {
          allow: false,
          kind: 'no-name',
          reason: `no ${what} (network.proxy.no_sni = "refuse")`,
        };
  const match = matchAllowlist(request.name, domains);
  if (!match)
    return {
      allow: false,
      kind: 'name-not-allowed',
      reason: `${what} "${request.name}" is not on the allowlist`,
    };
  const spans = portSpans(match.ports);
  if (spans.length > 0 && !spans.some(([from, to]) => request.port >= from && request.port <= to))
    return {
      allow: false,
      kind: 'name-not-allowed',
      reason: `${what} "${request.name}" is not allowed on port ${request.port}`,
    };
  return { allow: true };
}
