import { portSpans, spanSpec, type PortSpec } from '../../shared/ports.js';
import type { AllowlistDomain } from '../nft/policy.js';

/**
 * Whether a queried name is on the allowlist: an exact entry, or `*.domain` for any name under
 * domain (not domain itself). Returns the ports the matching entries allow (empty: every port),
 * or undefined when no entry matches.
 */
export function matchAllowlist(
  name: string,
  domains: readonly AllowlistDomain[],
): { ports: PortSpec[] } | undefined {
  const fqdn = name.toLowerCase().replace(/\.$/, '');
  const matching = domains.filter((d) =>
    d.name.startsWith('*.') ? fqdn.endsWith(d.name.slice(1)) : fqdn === d.name,
  );
  if (matching.length === 0) return undefined;
  if (matching.some((d) => d.ports.length === 0)) return { ports: [] };
  return { ports: portSpans(matching.flatMap((d) => d.ports)).map(spanSpec) };
}
