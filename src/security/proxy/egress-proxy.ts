import { createServer, type Server, type Socket } from 'node:net';
import { portSpans } from '../../shared/ports.js';
import type { LearnedAddress } from '../nft/container.js';
import type { AllowlistDomain } from '../nft/policy.js';
import {
  ANY_NAME_PORTS,
  PROXIED_PORTS,
  renderProxyTargetFlush,
  renderProxyTargets,
  type ProxiedPort,
  type ProxyTargetLease,
} from '../nft/proxy.js';
import type { AllowedConnection, RefusedConnection } from './alerts.js';
import { anyNameDestination, type DestinationBlocks } from './any-name.js';
import { readClientHead } from './client-head.js';
import { decide, type NoSniPolicy, type ProxyRequest } from './decide.js';
import type { CredentialInjector } from './inject/injector.js';
import { injectRuleFor } from './inject/rules.js';
import type { ContainerInjection } from './inject/store.js';
import { PortPool } from './port-pool.js';
import { connectInto } from './relay.js';

/** Where the proxy leases its ports on the gateway (one per learned destination). */
export const DEFAULT_PROXY_PORTS = { first: 40_000, count: 4096 } as const;
/** A lease outlives its nft element by this much, so a port is never reused while still mapped. */
const LEASE_GRACE_MS = 60_000;
const HEAD_TIMEOUT_MS = 10_000;
const SWEEP_MS = 30_000;

export interface ProxyPolicy {
  container: string;
  domains: readonly AllowlistDomain[];
  /** The container's `[network.proxy] no_sni` as its launch recorded it; else the proxy's. */
  noSni?: NoSniPolicy;
  /** Its `[[network.proxy.inject]]` rules and CA, when it has any. */
  inject?: ContainerInjection;
  /**
   * An open or restricted container (`inject_in_open`): every name passes, to the address the
   * host resolves for it, within these blocks; its HTTP(S) arrives on the any-name ports.
   */
  anyName?: DestinationBlocks;
}

export interface EgressProxyOptions {
  /** The gateway address it listens on (the target of the nft redirect). */
  address: string;
  ports?: { first: number; count: number };
  /** The allowlist of the container at a source address; undefined: not an allowlist container. */
  policyOf: (ip: string) => ProxyPolicy | undefined;
  noSni: NoSniPolicy;
  /** Applies an nft batch (`applyBatch`). */
  apply: (batch: string) => Promise<void>;
  onRefused: (refusal: RefusedConnection) => void;
  onAllowed?: (allowed: AllowedConnection) => void;
  onError?: (err: Error) => void;
  /** Terminates TLS for the inject names of containers that have some. */
  injector?: CredentialInjector;
  headTimeoutMs?: number;
  now?: () => number;
  /**
   * The host's IPv4 addresses for a name: with it, the proxy also listens on the any-name ports
   * for `ProxyPolicy.anyName` containers.
   */
  resolveName?: (name: string) => Promise<string[]>;
  /** Where it listens for those (default ANY_NAME_PORTS; the nft redirect names the same). */
  anyNamePorts?: Readonly<Record<ProxiedPort, number>>;
}

export interface ProxyStatus {
  state: 'serving' | 'stopped';
  /** Destinations with a leased port. */
  targets: number;
  allowed: number;
  refused: number;
  /** Connections to inject names terminated to set a credential header (absent: older daemon). */
  injected?: number;
  /** Its any-name ports, when it runs them (absent: it does not, or an older daemon). */
  anyNameListeners?: AnyNameListener[];
}

/** One any-name port (`inject_in_open` containers' HTTP or HTTPS) and whether the proxy holds it. */
export interface AnyNameListener {
  /** The container's port that nft redirects to it. */
  for: ProxiedPort;
  port: number;
  /** Why it could not listen (e.g. another process holds the port); absent: listening. */
  error?: string;
}

/**
 * coi's egress proxy for allowlist containers. When coi's resolver learns an address for a
 * container, `expose` leases a port per HTTP(S) destination and maps it in nft before the DNS
 * answer leaves; the container's connections to that destination arrive on that port. The proxy
 * reads the name the client asks for (TLS SNI, HTTP Host), lets the connection through to the
 * destination only when that name is on the container's allowlist, and splices the bytes
 * unchanged — except for the container's inject names over TLS, which the injector terminates to
 * set a credential header. Everything else is refused with a TCP reset.
 */
export class EgressProxy {
  private readonly pool: PortPool;
  private readonly servers = new Map<number, Server>();
  private readonly sockets = new Set<Socket>();
  /** Container address → destination key → until when it may use it. */
  private readonly entitled = new Map<string, Map<string, number>>();
  private sweepTimer?: NodeJS.Timeout;
  private serving = false;
  private allowed = 0;
  private refused = 0;
  private injected = 0;
  private anyNameListeners: AnyNameListener[] | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: EgressProxyOptions) {
    const { first, count } = opts.ports ?? DEFAULT_PROXY_PORTS;
    this.pool = new PortPool(first, count);
    this.now = opts.now ?? Date.now;
  }

  /** Empties the nft map (leases of an earlier proxy point at ports nobody listens on). */
  async start(): Promise<void> {
    await this.opts.apply(renderProxyTargetFlush());
    if (this.opts.resolveName) {
      const ports = this.opts.anyNamePorts ?? ANY_NAME_PORTS;
      this.anyNameListeners = [];
      // Not fatal: allowlist containers are served still; inject_in_open ones stay closed.
      for (const port of PROXIED_PORTS) {
        const listener: AnyNameListener = { for: port, port: ports[port] };
        await this.listen(ports[port], (socket) => void this.handleAnyName(socket, port)).catch(
          (err: Error) => {
            listener.error = err.message;
            this.opts.onError?.(
              new Error(
                `any-name port ${ports[port]} (inject_in_open containers' port ${port}): ${err.message}; their HTTP(S) is refused`,
              ),
            );
          },
        );
        this.anyNameListeners.push(listener);
      }
    }
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweepTimer.unref();
    this.serving = true;
  }

  /**
   * Closes every port and connection. The nft map is left as it is: its elements now point at
   * closed ports, so the containers' HTTP(S) is refused until a proxy starts again (fail closed).
   */
  async stop(): Promise<void> {
    this.serving = false;
    clearInterval(this.sweepTimer);
    this.opts.injector?.close();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([...this.servers.values()].map(closeServer));
    this.servers.clear();
  }

  status(): ProxyStatus {
    return {
      state: this.serving ? 'serving' : 'stopped',
      targets: this.pool.size,
      allowed: this.allowed,
      refused: this.refused,
      injected: this.injected,
      ...(this.anyNameListeners
        ? { anyNameListeners: this.anyNameListeners.map((l) => ({ ...l })) }
        : {}),
    };
  }

  /**
   * Lets the container at `ip` reach the HTTP(S) ports of the learned addresses through the proxy
   * for `timeoutSec` (called with the same arguments as `NetworkGuard.learn`, before it).
   */
  async expose(ip: string, learned: LearnedAddress[], timeoutSec: number): Promise<void> {
    if (!this.serving) throw new Error("coi's egress proxy is not running");
    const until = this.now() + timeoutSec * 1000 + LEASE_GRACE_MS;
    const leases: ProxyTargetLease[] = [];
    for (const { address, ports } of learned)
      for (const port of PROXIED_PORTS) {
        if (ports?.length && !portSpans(ports).some(([a, b]) => port >= a && port <= b)) continue;
        const key = `${address}:${port}`;
        const proxyPort = await this.leaseListening(key, until);
        if (proxyPort === undefined) {
          this.opts.onError?.(new Error(`no free proxy port for ${key}; it stays unreachable`));
          continue;
        }
        this.entitle(ip, key, until);
        leases.push({ address, port, proxyPort });
      }
    await this.opts.apply(renderProxyTargets(this.opts.address, leases, timeoutSec));
  }

  /** Forgets what a released container could reach. */
  forget(ip: string): void {
    this.entitled.delete(ip);
  }

  private entitle(ip: string, key: string, until: number): void {
    let keys = this.entitled.get(ip);
    if (!keys) this.entitled.set(ip, (keys = new Map()));
    keys.set(key, Math.max(until, keys.get(key) ?? 0));
  }

  private async leaseListening(key: string, until: number): Promise<number | undefined> {
    for (;;) {
      const lease = this.pool.lease(key, until, this.now());
      if (!lease) return undefined;
      if (!lease.fresh) return lease.port;
      try {
        await this.listen(lease.port);
        return lease.port;
      } catch (err) {
        const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
        this.pool.release(key, inUse);
        if (!inUse) throw err;
      }
    }
  }

  private async listen(
    port: number,
    onSocket: (socket: Socket) => void = (socket) => void this.handle(socket, port),
  ): Promise<void> {
    const server = createServer({ allowHalfOpen: true, noDelay: true }, onSocket);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.opts.address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.opts.onError?.(err));
    this.servers.set(port, server);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private async handle(socket: Socket, proxyPort: number): Promise<void> {
    this.track(socket);
    const ip = socket.remoteAddress ?? '';
    const key = this.pool.keyOf(proxyPort);
    const policy = this.opts.policyOf(ip);
    const until = key === undefined ? undefined : this.entitled.get(ip)?.get(key);
    if (key === undefined || !policy || until === undefined || until < this.now()) {
      // Not an allowlist container, or a destination it never learned: nothing to report.
      this.refused += 1;
      socket.resetAndDestroy();
      return;
    }
    const [address = '', portText = ''] = key.split(':');
    const port = Number(portText);
    const head = await readClientHead(socket, this.opts.headTimeoutMs ?? HEAD_TIMEOUT_MS);
    const protocol = head.protocol ?? (port === 443 ? 'tls' : 'http');
    const request = { protocol, name: 'name' in head ? head.name : undefined, port };
    const verdict =
      'unreadable' in head
        ? { allow: false as const, kind: 'unreadable' as const, reason: head.unreadable }
        : decide(policy.domains, request, policy.noSni ?? this.opts.noSni);
    if (!verdict.allow || 'unreadable' in head) {
      this.refused += 1;
      if (!verdict.allow) {
        const sourcePort = socket.remotePort ?? 0;
        this.opts.onRefused({
          container: policy.container,
          ip,
          sourcePort,
          address,
          request,
          verdict,
        });
      }
      if (!socket.destroyed) socket.resetAndDestroy();
      return;
    }
    await this.pass(socket, policy, address, request, head.bytes);
  }

  /**
   * A connection of an `anyName` container, to `port` originally: the name it asks for decides
   * the destination (resolved on the host, within its blocks); without a name it cannot go on.
   */
  private async handleAnyName(socket: Socket, port: ProxiedPort): Promise<void> {
    this.track(socket);
    const ip = socket.remoteAddress ?? '';
    const policy = this.opts.policyOf(ip);
    if (!policy?.anyName) {
      this.refused += 1;
      socket.resetAndDestroy();
      return;
    }
    const head = await readClientHead(socket, this.opts.headTimeoutMs ?? HEAD_TIMEOUT_MS);
    const protocol = head.protocol ?? (port === 443 ? 'tls' : 'http');
    const name = 'name' in head ? head.name : undefined;
    const request = { protocol, name, port };
    const refuse = (kind: 'no-name' | 'blocked' | 'unreadable', reason: string) => {
      this.refused += 1;
      if (kind !== 'unreadable')
        this.opts.onRefused({
          container: policy.container,
          ip,
          sourcePort: socket.remotePort ?? 0,
          address: '',
          request,
          verdict: { allow: false, kind, reason },
          anyName: true,
        });
      if (!socket.destroyed) socket.resetAndDestroy();
    };
    if ('unreadable' in head) return refuse('unreadable', head.unreadable);
    const what = protocol === 'tls' ? 'SNI' : 'Host';
    if (name === undefined)
      return refuse('no-name', `no ${what}: the proxy cannot tell where it goes (inject_in_open)`);
    const addresses = await this.opts.resolveName!(name).catch((err: Error) => {
      this.opts.onError?.(new Error(`resolving ${name} for ${policy.container}: ${err.message}`));
      return [];
    });
    const destination = anyNameDestination(name, addresses, policy.anyName);
    if ('refused' in destination) return refuse('blocked', destination.refused);
    await this.pass(socket, policy, destination.address, request, head.bytes);
  }

  /** Through to `address`: terminated for an inject name over TLS, else spliced unchanged. */
  private async pass(
    socket: Socket,
    policy: ProxyPolicy,
    address: string,
    request: ProxyRequest,
    head: Buffer,
  ): Promise<void> {
    const ip = socket.remoteAddress ?? '';
    const { port } = request;
    const rule =
      request.protocol === 'tls' && request.name !== undefined && policy.inject
        ? injectRuleFor(request.name, policy.inject.rules)
        : undefined;
    if (rule && request.name !== undefined && policy.inject) {
      const connection = {
        container: policy.container,
        ip,
        sourcePort: socket.remotePort ?? 0,
        name: request.name,
        address,
        port,
        rule,
      };
      if (await this.opts.injector?.terminate(socket, head, connection, policy.inject)) {
        this.injected += 1;
        return;
      }
      // Never spliced: the container would reach the server without its credential, unnoticed.
      this.refused += 1;
      this.opts.onError?.(new Error(`cannot terminate TLS for ${request.name}; refused`));
      if (!socket.destroyed) socket.resetAndDestroy();
      return;
    }
    this.allowed += 1;
    this.opts.onAllowed?.({
      container: policy.container,
      ip,
      address,
      request,
      ...(policy.anyName ? { anyName: true } : {}),
    });
    this.splice(socket, address, port, head);
  }

  private splice(client: Socket, address: string, port: number, head: Buffer): void {
    const upstream = connectInto(client, {
      host: address,
      port,
      noDelay: true,
      allowHalfOpen: true,
    });
    this.sockets.add(upstream);
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.write(head);
    client.pipe(upstream);
    client.resume();
  }

  /** Closes the ports of expired leases and drops expired entitlements. */
  private sweep(): void {
    const now = this.now();
    for (const key of this.pool.expired(now)) {
      const port = this.pool.release(key) ?? 0;
      const server = this.servers.get(port);
      this.servers.delete(port);
      if (server) void closeServer(server);
    }
    for (const [ip, keys] of this.entitled) {
      for (const [key, until] of keys) if (until < now) keys.delete(key);
      if (keys.size === 0) this.entitled.delete(ip);
    }
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
