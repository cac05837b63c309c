import type { Alert } from '../alert.js';
import { DEFAULT_RESOLVER_PORT, DnsResolver } from '../dns/resolver.js';
import { hostUpstream } from '../dns/upstream.js';
import { NetworkGuard } from '../network/guard.js';
import type { HostNetwork } from '../nft/index.js';
import type { AllowlistDomain } from '../nft/policy.js';

export interface AllowlistDnsOptions {
  host: HostNetwork;
  refreshIntervalMinutes: number;
  onAlert: (container: string, alert: Alert) => void;
  log: (message: string) => void;
}

/**
 * coi's DNS resolver for allowlist containers, run by the monitor daemon (the one long-lived host
 * process): the daemon registers each allowlist container it sees, with the names it may resolve.
 */
export class AllowlistDns {
  private readonly policies = new Map<string, { container: string; domains: AllowlistDomain[] }>();
  private resolver: DnsResolver | undefined;

  constructor(private readonly opts: AllowlistDnsOptions) {}

  async start(): Promise<void> {
    const guard = new NetworkGuard(this.opts.host);
    this.resolver = new DnsResolver({
      listen: { address: this.opts.host.gateway, port: DEFAULT_RESOLVER_PORT },
      upstream: await hostUpstream(),
      policyOf: (ip) => this.policies.get(ip),
      learn: (ip, addresses, seconds) => guard.learn(ip, addresses, seconds),
      onAlert: ({ container, alert }) => this.opts.onAlert(container, alert),
      onError: (err) => this.opts.log(`dns: ${err.message}`),
      refreshIntervalMinutes: this.opts.refreshIntervalMinutes,
    });
    await this.resolver.start();
  }

  add(ip: string, container: string, domains: AllowlistDomain[]): void {
    this.policies.set(ip, { container, domains });
  }

  remove(ip: string): void {
    this.policies.delete(ip);
    this.resolver?.forget(ip);
  }

  async stop(): Promise<void> {
    await this.resolver?.stop();
  }
}
