import type { Alert } from '../alert.js';
import { DEFAULT_RESOLVER_PORT, DnsResolver } from '../dns/resolver.js';
import { hostUpstream, type Upstream } from '../dns/upstream.js';
import { NetworkGuard } from '../network/guard.js';
import { applyBatch } from '../network/nft-run.js';
import type { HostNetwork } from '../nft/index.js';
import type { AllowlistDomain } from '../nft/policy.js';
import { injectionAlert, refusalAlert } from '../proxy/alerts.js';
import type { NoSniPolicy } from '../proxy/decide.js';
import { EgressProxy, type ProxyPolicy, type ProxyStatus } from '../proxy/egress-proxy.js';
import { CredentialInjector } from '../proxy/inject/injector.js';
import { SecretReader } from '../proxy/inject/secret.js';
import type { ContainerInjection } from '../proxy/inject/store.js';

export interface AllowlistDnsOptions {
  host: HostNetwork;
  refreshIntervalMinutes: number;
  /** `[network.proxy] no_sni`. */
  noSni: NoSniPolicy;
  onAlert: (container: string, alert: Alert) => void;
  /** Records the proxy's credential injections (the audit log, unfolded). */
  onRecord?: (container: string, alert: Alert) => void;
  /** A container's credential injection (its rules and CA), looked up when it is added. */
  injectionOf?: (container: string) => ContainerInjection | undefined;
  /** CAs trusted for the real servers of inject names besides the system's (tests only). */
  upstreamCa?: string[];
  log: (message: string) => void;
  /** Where names are resolved (default: the host's resolver). */
  upstream?: Upstream;
  /** The egress proxy's port range on the gateway (default: DEFAULT_PROXY_PORTS). */
  proxyPorts?: { first: number; count: number };
}

/**
 * coi's DNS resolver and egress proxy for allowlist containers, run by the monitor daemon (the one
 * long-lived host process): the daemon registers each allowlist container it sees, with the names
 * it may resolve. An answered address is handed to the proxy (HTTP and HTTPS to it go through the
 * proxy, which checks the name on the wire) and then learned into nft, both before the answer.
 */
export class AllowlistDns {
  private readonly policies = new Map<string, ProxyPolicy & { domains: AllowlistDomain[] }>();
  private resolver: DnsResolver | undefined;
  private readonly proxy: EgressProxy;

  constructor(private readonly opts: AllowlistDnsOptions) {
    this.proxy = new EgressProxy({
      address: opts.host.gateway,
      ...(opts.proxyPorts ? { ports: opts.proxyPorts } : {}),
      policyOf: (ip) => this.policies.get(ip),
      noSni: opts.noSni,
      apply: applyBatch,
      onRefused: (refusal) => {
        opts.log(
          `proxy: refused ${refusal.container} → ${refusal.address}:${refusal.request.port}: ${refusal.verdict.reason}`,
        );
        const alert = refusalAlert(refusal);
        if (alert) opts.onAlert(refusal.container, alert);
      },
      onError: (err) => opts.log(`proxy: ${err.message}`),
      injector: new CredentialInjector({
        secrets: new SecretReader(),
        ...(opts.upstreamCa ? { upstreamCa: opts.upstreamCa } : {}),
        onInjected: (c) => opts.onRecord?.(c.container, injectionAlert(c)),
        onFailed: (c, reason) => {
          opts.log(`proxy: ${c.container} → ${c.name}: ${reason}`);
          opts.onAlert(c.container, injectionAlert(c, reason));
        },
      }),
    });
  }

  async start(): Promise<void> {
    const guard = new NetworkGuard(this.opts.host);
    // Without the proxy, DNS still works and HTTP(S) to learned addresses is refused (fail closed).
    if (this.opts.host.egressProxy)
      await this.proxy
        .start()
        .catch((err: Error) => this.opts.log(`proxy: not started: ${err.message}`));
    this.resolver = new DnsResolver({
      listen: { address: this.opts.host.gateway, port: DEFAULT_RESOLVER_PORT },
      upstream: this.opts.upstream ?? (await hostUpstream()),
      policyOf: (ip) => this.policies.get(ip),
      learn: async (ip, addresses, seconds) => {
        if (this.opts.host.egressProxy)
          await this.proxy
            .expose(ip, addresses, seconds)
            .catch((err: Error) =>
              this.opts.log(`proxy: ${ip} gets no HTTP(S) to it: ${err.message}`),
            );
        await guard.learn(ip, addresses, seconds);
      },
      onAlert: ({ container, alert }) => this.opts.onAlert(container, alert),
      onError: (err) => this.opts.log(`dns: ${err.message}`),
      refreshIntervalMinutes: this.opts.refreshIntervalMinutes,
    });
    await this.resolver.start();
  }

  add(ip: string, container: string, domains: AllowlistDomain[]): void {
    const inject = this.injectionFor(container);
    this.policies.set(ip, { container, domains, ...(inject ? { inject } : {}) });
  }

  private injectionFor(container: string): ContainerInjection | undefined {
    try {
      return this.opts.injectionOf?.(container);
    } catch (err) {
      this.opts.log(`proxy: ${container} gets no credential injection: ${(err as Error).message}`);
      return undefined;
    }
  }

  remove(ip: string): void {
    this.policies.delete(ip);
    this.resolver?.forget(ip);
    this.proxy.forget(ip);
  }

  /** The egress proxy's state, for the daemon's status (and `coi health`). */
  proxyStatus(): ProxyStatus {
    return this.proxy.status();
  }

  async stop(): Promise<void> {
    await this.resolver?.stop();
    await this.proxy.stop();
  }
}
