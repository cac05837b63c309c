import type { AllowlistDomain } from '../nft/policy.js';
import type { AllowlistDns, RegisteredProxying } from './allowlist-dns.js';

/** What the registration needs of coi's allowlist resolver. */
export type AllowlistResolver = Pick<AllowlistDns, 'add' | 'remove' | 'unlearn'>;

/**
 * Which container's address is registered with the allowlist resolver, so a container that stops
 * or goes away takes its registration with it. Without a resolver it does nothing.
 */
export class AllowlistRegistration {
  private readonly ips = new Map<string, string>();

  constructor(private readonly resolver: AllowlistResolver | undefined) {}

  register(
    name: string,
    ip: string,
    domains: AllowlistDomain[],
    proxying: RegisteredProxying = {},
  ): void {
    if (!this.resolver) return;
    const previous = this.ips.get(name);
    this.resolver.add(ip, name, domains, proxying);
    this.ips.set(name, ip);
    if (previous !== undefined && previous !== ip) this.release(previous);
  }

  unregister(name: string): void {
    const ip = this.ips.get(name);
    if (ip === undefined) return;
    this.ips.delete(name);
    this.release(ip);
  }

  /**
   * Takes an address out unless another container holds it now: Incus hands a freed address out
   * again at once, so a deleted container's departure can be seen after its successor registered.
   */
  private release(ip: string): void {
    if (![...this.ips.values()].includes(ip)) this.resolver?.remove(ip);
  }
}
