import type { Alert } from '../alert.js';
import { DEFAULT_RESOLVER_PORT, DnsResolver, type DnsDecision } from '../dns/resolver.js';
import { lookupA } from '../dns/lookup-a.js';
import { NameCache } from '../dns/name-cache.js';
import { hostUpstream, type Upstream } from '../dns/upstream.js';
import { NetworkGuard } from '../network/guard.js';
import { applyBatch } from '../network/nft-run.js';
import type { HostNetwork } from '../nft/index.js';
import type { AllowlistDomain } from '../nft/policy.js';
import {
  injectionAlert,
  refreshAlert,
  refusalAlert,
  type AllowedConnection,
  type RefusedConnection,
} from '../proxy/alerts.js';
import type { NoSniPolicy } from '../proxy/decide.js';
import type { DestinationBlocks } from '../proxy/any-name.js';
import { EgressProxy, type ProxyPolicy, type ProxyStatus } from '../proxy/egress-proxy.js';
import { CredentialInjector } from '../proxy/inject/injector.js';
import { SecretReader } from '../proxy/inject/secret.js';
import type { ContainerInjection } from '../proxy/inject/store.js';
import { TokenRefresher } from '../proxy/inject/token-refresher.js';
import type { NetworkDecision } from './network-tail.js';

/** How long the proxy waits for the host's resolver to answer an any-name container's name. */
const LOOKUP_TIMEOUT_MS = 2000;

/** How the proxy treats a registered container besides its allowlist. */
export interface RegisteredProxying {
  /** Its recorded `no_sni`; absent: the daemon's. */
  noSni?: NoSniPolicy;
  /** `inject_in_open`: every name passes, within these blocks (user.coi.any_name_proxy). */
  anyName?: Omit<DestinationBlocks, 'gateway'>;
}

export interface AllowlistDnsOptions {
  host: HostNetwork;
  refreshIntervalMinutes: number;
  /** `[network.proxy] no_sni` of the daemon, for containers whose launch recorded none. */
  noSni: NoSniPolicy;
  onAlert: (container: string, alert: Alert) => void;
  /** Every name the resolver answered or refused, every connection the proxy decided on. */
  onDecision?: (container: string, ip: string, decision: NetworkDecision) => void;
  /** Records the proxy's credential injections (the audit log, unfolded). */
  onRecord?: (container: string, alert: Alert) => void;
  /** A container's credential injection (its rules and CA), looked up when it is added. */
  injectionOf?: (container: string) => ContainerInjection | undefined;
  /** CAs trusted for the real servers of inject names besides the system's (tests only). */
  upstreamCa?: string[];
  /** Where host logins are renewed instead of their rules' endpoint (tests' stand-in only). */
  loginTokenUrl?: string;
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
  private upstreamFound: Promise<Upstream> | undefined;
  private readonly proxy: EgressProxy;
  private readonly guard: NetworkGuard;

  constructor(private readonly opts: AllowlistDnsOptions) {
    this.guard = new NetworkGuard(opts.host);
    const names = new NameCache({
      query: async (name) => lookupA(await this.upstream(), name, LOOKUP_TIMEOUT_MS),
    });
    this.proxy = new EgressProxy({
      address: opts.host.gateway,
      ...(opts.proxyPorts ? { ports: opts.proxyPorts } : {}),
      policyOf: (ip) => this.policies.get(ip),
      noSni: opts.noSni,
      ...(opts.host.anyNamePorts ? { anyNamePorts: opts.host.anyNamePorts } : {}),
      resolveName: (name) => names.addresses(name),
      apply: applyBatch,
      onRefused: (refusal) => {
        opts.log(
          `proxy: refused ${refusal.container} → ${refusal.address}:${refusal.request.port}: ${refusal.verdict.reason}`,
        );
        this.decided(refusal.container, refusal.ip, proxyDecision(refusal));
        const alert = refusalAlert(refusal);
        if (alert) opts.onAlert(refusal.container, alert);
      },
      onAllowed: (allowed) => this.decided(allowed.container, allowed.ip, proxyDecision(allowed)),
      onError: (err) => opts.log(`proxy: ${err.message}`),
      injector: new CredentialInjector({
        secrets: new SecretReader(
          Date.now,
          new TokenRefresher({
            ...(opts.upstreamCa ? { ca: opts.upstreamCa } : {}),
            ...(opts.loginTokenUrl ? { tokenUrl: opts.loginTokenUrl } : {}),
          }),
        ),
        ...(opts.upstreamCa ? { upstreamCa: opts.upstreamCa } : {}),
        onInjected: (c, upgrade) =>
          opts.onRecord?.(c.container, injectionAlert(c, undefined, upgrade)),
        onFailed: (c, reason) => {
          opts.log(`proxy: ${c.container} → ${c.name}: ${reason}`);
          opts.onAlert(c.container, injectionAlert(c, reason));
        },
        onRefreshed: (c, outcome) => {
          if (outcome.ok) return opts.onRecord?.(c.container, refreshAlert(c, outcome));
          opts.log(`proxy: ${c.container} → ${c.name}: host login not renewed: ${outcome.reason}`);
          opts.onAlert(c.container, refreshAlert(c, outcome));
        },
      }),
    });
  }

  async start(): Promise<void> {
    // Without the proxy, DNS still works and HTTP(S) to learned addresses is refused (fail closed).
    if (this.opts.host.egressProxy)
      await this.proxy
        .start()
        .catch((err: Error) => this.opts.log(`proxy: not started: ${err.message}`));
    this.resolver = new DnsResolver({
      listen: { address: this.opts.host.gateway, port: DEFAULT_RESOLVER_PORT },
      upstream: await this.upstream(),
      policyOf: (ip) => this.policies.get(ip),
      learn: async (ip, addresses, seconds) => {
        if (this.opts.host.egressProxy)
          await this.proxy
            .expose(ip, addresses, seconds)
            .catch((err: Error) =>
              this.opts.log(`proxy: ${ip} gets no HTTP(S) to it: ${err.message}`),
            );
        await this.guard.learn(ip, addresses, seconds);
      },
      onAlert: ({ container, alert }) => this.opts.onAlert(container, alert),
      onDecision: (d) => this.decided(d.container, d.ip, dnsDecision(d)),
      onError: (err) => this.opts.log(`dns: ${err.message}`),
      refreshIntervalMinutes: this.opts.refreshIntervalMinutes,
    });
    await this.resolver.start();
  }

  /** Registers (or re-registers, with a changed allowlist) the container at `ip`. */
  add(
    ip: string,
    container: string,
    domains: AllowlistDomain[],
    { noSni, anyName }: RegisteredProxying = {},
  ): void {
    // An address taken over from a container that went away: what it could reach does not carry over.
    if (this.policies.get(ip)?.container !== container) this.proxy.forget(ip);
    const inject = this.injectionFor(container);
    this.policies.set(ip, {
      container,
      domains,
      ...(noSni ? { noSni } : {}),
      ...(inject ? { inject } : {}),
      ...(anyName ? { anyName: { ...anyName, gateway: this.opts.host.gateway } } : {}),
    });
  }

  private injectionFor(container: string): ContainerInjection | undefined {
    try {
      return this.opts.injectionOf?.(container);
    } catch (err) {
      this.opts.log(`proxy: ${container} gets no credential injection: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Where names are resolved: the configured upstream, else the host's (read once). */
  private upstream(): Promise<Upstream> {
    this.upstreamFound ??= this.opts.upstream
      ? Promise.resolve(this.opts.upstream)
      : hostUpstream();
    return this.upstreamFound;
  }

  remove(ip: string): void {
    const container = this.policies.get(ip)?.container;
    this.policies.delete(ip);
    if (container !== undefined) this.resolver?.forget(container);
    this.proxy.forget(ip);
  }

  /**
   * Takes the addresses last answered for `name` out of the learned set of the container at `ip`
   * (a name blocked live; its allowlist entry is gone already). An address another allowed name
   * shares is learned again on that name's next lookup.
   */
  async unlearn(ip: string, name: string, ports: AllowlistDomain['ports']): Promise<void> {
    const addresses = this.resolver?.answeredAddresses(name) ?? [];
    await this.guard.unlearn(
      ip,
      addresses.map((address) => ({ address, ...(ports.length ? { ports } : {}) })),
    );
  }

  /** The egress proxy's state, for the daemon's status (and `coi health`). */
  proxyStatus(): ProxyStatus {
    return this.proxy.status();
  }

  async stop(): Promise<void> {
    await this.resolver?.stop();
    await this.proxy.stop();
  }

  private decided(container: string, ip: string, decision: NetworkDecision): void {
    this.opts.onDecision?.(container, ip, decision);
  }
}

function dnsDecision(d: DnsDecision): NetworkDecision {
  return {
    time: Date.now(),
    source: 'dns',
    verdict: d.verdict,
    name: d.name,
    address: d.address,
    reason: d.reason,
  };
}

function proxyDecision(c: AllowedConnection | RefusedConnection): NetworkDecision {
  const what = c.request.protocol === 'tls' ? 'SNI' : 'Host';
  return {
    time: Date.now(),
    source: 'proxy',
    verdict: 'verdict' in c ? 'refused' : 'allowed',
    name: c.request.name ?? '',
    address: c.address,
    port: c.request.port,
    reason:
      'verdict' in c
        ? c.verdict.reason
        : c.anyName
          ? `${what} "${c.request.name}": every name passes (inject_in_open)`
          : c.request.name === undefined
            ? `no ${what} (network.proxy.no_sni = "allow")`
            : `${what} on the allowlist`,
  };
}
