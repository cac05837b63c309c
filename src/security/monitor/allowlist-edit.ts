import { matchAllowlist } from '../dns/allowlist-match.js';
import type { AllowlistDomain } from '../nft/policy.js';

/** A change of a running container's allowlist that cannot be made; says why and what to do. */
export class AllowlistEditError extends Error {}

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

function normalized(name: string): string {
  const fqdn = name.toLowerCase().replace(/\.$/, '');
  if (!NAME.test(fqdn))
    throw new AllowlistEditError(
      `"${name}" is not a host name (letters, digits, - and ., like api.example.com)`,
    );
  return fqdn;
}

/** The allowlist with `name` on it (every port); an error when it is allowed already. */
export function allowName(domains: readonly AllowlistDomain[], name: string): AllowlistDomain[] {
  const fqdn = normalized(name);
  if (matchAllowlist(fqdn, domains))
    throw new AllowlistEditError(`${fqdn} is on the allowlist already`);
  return [...domains, { name: fqdn, ports: [] }];
}

/**
 * The allowlist without the entry for `name`, and that entry. A name only a `*.` entry admits
 * cannot be taken out alone: the error names the entry to change instead.
 */
export function blockName(
  domains: readonly AllowlistDomain[],
  name: string,
): { domains: AllowlistDomain[]; removed: AllowlistDomain } {
  const fqdn = normalized(name);
  const removed = domains.find((d) => d.name === fqdn);
  if (removed) return { domains: domains.filter((d) => d !== removed), removed };
  const wildcard = domains.find((d) => matchAllowlist(fqdn, [d]));
  throw new AllowlistEditError(
    wildcard
      ? `${fqdn} is allowed by the entry "${wildcard.name}"; change that entry in the config's allowed_domains`
      : `${fqdn} is not on the allowlist`,
  );
}
