import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { TITLES, type Alert } from '../alert.js';
import { DnsTunnelDetector, parentDomain } from '../detectors/dns-tunnel.js';
import type { LearnedAddress } from '../nft/container.js';
import type { AllowlistDomain } from '../nft/policy.js';
import { AnswerCache, remainingTtl, type CachedAnswer } from './answer-cache.js';
import { matchAllowlist } from './allowlist-match.js';
import { exchangeTcp, exchangeUdp, frame, unframe, type Upstream } from './upstream.js';
import {
  DnsFormatError,
  answerTtlOffsets,
  encodeQuery,
  errorReply,
  parseMessage,
  withId,
  withTtl,
  type Message,
  type Question,
} from './wire.js';

/** Port coi's resolver listens on at the gateway; the nft redirect sends allowlist DNS here. */
export const DEFAULT_RESOLVER_PORT = 5335;
/** Learned addresses stay at least this long, so a short TTL cannot cut a connection mid-way. */
export const MIN_LEARNED_SECONDS = 300;
/** TTL given to an expired cached answer served while upstream is unreachable. */
const STALE_TTL = 30;
const UPSTREAM_TIMEOUT_MS = 2000;

export interface ResolverPolicy {
  container: string;
  domains: readonly AllowlistDomain[];
}

export interface DnsAlertEvent {
  container: string;
  ip: string;
  alert: Alert;
}

/** A name the resolver answered or refused for a container. */
export interface DnsDecision {
  container: string;
  ip: string;
  name: string;
  verdict: 'allowed' | 'refused';
  /** The first IPv4 answered ('' when none, or refused). */
  address: string;
  reason: string;
}

export interface DnsResolverOptions {
  /** Where to listen (UDP and TCP): the gateway address and `DEFAULT_RESOLVER_PORT`. */
  listen: { address: string; port: number };
  /** The host's resolver (`hostUpstream()`), or a test server. */
  upstream: Upstream;
  /** The allowlist of the container at a source address; undefined: not an allowlist container. */
  policyOf: (ip: string) => ResolverPolicy | undefined;
  /** Puts answered addresses into the container's learned set (`NetworkGuard.learn`). */
  learn: (ip: string, learned: LearnedAddress[], timeoutSec: number) => Promise<void>;
  onAlert: (event: DnsAlertEvent) => void;
  /** Every name asked for by an allowlist container, with what the resolver did with it. */
  onDecision?: (decision: DnsDecision) => void;
  /** Answering failed for a reason the client only sees as SERVFAIL (upstream down, nft error). */
  onError?: (err: Error) => void;
  /** `[network] refresh_interval_minutes`: re-fetch every cached name this often (0: never). */
  refreshIntervalMinutes?: number;
  upstreamTimeoutMs?: number;
  now?: () => number;
}

/**
 * coi's allowlist DNS resolver. For a container in allowlist mode it answers names on the
 * container's allowlist by forwarding to the host's resolver, and puts every answered IPv4 into the
 * container's learned nft set — before the reply leaves, so the client can never connect to an
 * address the firewall does not know yet. Other names get REFUSED and an alert. Every query name
 * goes through the DNS tunnelling heuristics.
 */
export class DnsResolver {
  private udp?: UdpSocket;
  private tcp?: Server;
  private readonly tcpClients = new Set<Socket>();
  private refreshTimer?: NodeJS.Timeout;
  private readonly cache = new AnswerCache();
  private readonly tunnels = new Map<string, DnsTunnelDetector>();
  private readonly now: () => number;

  constructor(private readonly options: DnsResolverOptions) {
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    const { address, port } = this.options.listen;
    const udp = createSocket('udp4');
    udp.on('message', (query, peer) => {
      void this.answer(query, peer.address, 'udp').then((reply) => {
        // A query answered after stop() closed the socket has nobody to go to.
        if (reply && this.udp === udp) udp.send(reply, peer.port, peer.address);
      });
    });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', (err) => reject(listenError('UDP', address, port, err)));
      udp.bind(port, address, () => resolve());
    });
    this.udp = udp;
    const tcp = createServer((socket) => this.serveTcp(socket));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', (err) => reject(listenError('TCP', address, port, err)));
      tcp.listen(udp.address().port, address, () => resolve());
    }).catch(async (err: unknown) => {
      await this.stop();
      throw err;
    });
    this.tcp = tcp;
    const minutes = this.options.refreshIntervalMinutes ?? 0;
    if (minutes > 0) {
      this.refreshTimer = setInterval(() => void this.refresh(), minutes * 60_000);
      this.refreshTimer.unref();
    }
  }

  /** Where it listens (the port the OS picked when `listen.port` was 0). */
  address(): { address: string; port: number } {
    const bound = this.udp?.address();
    if (!bound) throw new Error("coi's DNS resolver is not running");
    return { address: bound.address, port: bound.port };
  }

  async stop(): Promise<void> {
    clearInterval(this.refreshTimer);
    for (const socket of this.tcpClients) socket.destroy();
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    await Promise.all([
      udp && new Promise<void>((resolve) => udp.close(() => resolve())),
      tcp && new Promise<void>((resolve) => tcp.close(() => resolve())),
    ]);
  }

  /** Re-fetches every cached name now (also run every `refreshIntervalMinutes`). */
  async refresh(): Promise<void> {
    await Promise.all(
      this.cache
        .questions()
        .map((question) =>
          this.fetch(question, encodeQuery(randomId(), question), 'udp').catch((err: Error) =>
            this.options.onError?.(err),
          ),
        ),
    );
  }

  private serveTcp(socket: Socket): void {
    this.tcpClients.add(socket);
    socket.on('close', () => this.tcpClients.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(30_000, () => socket.destroy());
    let buffered: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let next = unframe(buffered); next; next = unframe(buffered)) {
        buffered = next.rest;
        void this.answer(next.message, socket.remoteAddress ?? '', 'tcp').then((reply) => {
          if (reply && !socket.destroyed) socket.write(frame(reply));
        });
      }
    });
  }

  /** The reply to one query, or undefined when it deserves none. Never throws. */
  private async answer(
    query: Buffer,
    ip: string,
    transport: 'udp' | 'tcp',
  ): Promise<Buffer | undefined> {
    let message: Message;
    try {
      message = parseMessage(query);
    } catch (err) {
      if (err instanceof DnsFormatError && query.length >= 12) return errorReply(query, 'FORMERR');
      return undefined;
    }
    if (message.type === 'response') return undefined;
    if (message.opcode !== 'QUERY') return errorReply(query, 'NOTIMP');
    const question = message.questions[0];
    if (!question || message.questions.length !== 1) return errorReply(query, 'FORMERR');
    const policy = this.options.policyOf(ip);
    if (!policy) return errorReply(query, 'REFUSED');
    this.watchTunnels(policy.container, ip, question.name);
    const match = matchAllowlist(question.name, policy.domains);
    const decided = (verdict: DnsDecision['verdict'], address: string, reason: string) =>
      this.options.onDecision?.({
        container: policy.container,
        ip,
        name: question.name,
        verdict,
        address,
        reason,
      });
    if (!match) {
      decided('refused', '', 'not on the allowlist');
      this.options.onAlert({
        container: policy.container,
        ip,
        alert: refusedAlert(policy, question),
      });
      return errorReply(query, 'REFUSED');
    }
    try {
      const { entry, source } = await this.lookup(question, query, transport);
      const left = remainingTtl(entry, this.now());
      const ttl = source === 'stale' ? STALE_TTL : Math.max(1, left);
      const learned = entry.answers.flatMap((a) =>
        a.type === 'A'
          ? [{ address: a.data, ...(match.ports.length ? { ports: match.ports } : {}) }]
          : [],
      );
      await this.options.learn(ip, learned, Math.max(ttl, MIN_LEARNED_SECONDS));
      decided(
        'allowed',
        learned[0]?.address ?? '',
        `on the allowlist (${question.type}, ${learned.length} address(es))`,
      );
      const reply =
        source === 'upstream' ? entry.message : withTtl(entry.message, entry.ttlOffsets, ttl);
      return withId(reply, message.id);
    } catch (err) {
      decided('refused', '', `not resolved: ${(err as Error).message}`);
      this.options.onError?.(
        new Error(`DNS ${question.name} for ${policy.container}: ${(err as Error).message}`),
      );
      return errorReply(query, 'SERVFAIL');
    }
  }

  private async lookup(
    question: Question,
    query: Buffer,
    transport: 'udp' | 'tcp',
  ): Promise<{ entry: CachedAnswer; source: 'upstream' | 'cache' | 'stale' }> {
    const cached = this.cache.get(question);
    if (cached && remainingTtl(cached, this.now()) > 0) return { entry: cached, source: 'cache' };
    try {
      return { entry: await this.fetch(question, query, transport), source: 'upstream' };
    } catch (err) {
      if (cached) return { entry: cached, source: 'stale' };
      throw err;
    }
  }

  /** Asks upstream (over TCP when the UDP answer was truncated and the client can take it). */
  private async fetch(
    question: Question,
    query: Buffer,
    transport: 'udp' | 'tcp',
  ): Promise<CachedAnswer> {
    const { upstream } = this.options;
    const timeout = this.options.upstreamTimeoutMs ?? UPSTREAM_TIMEOUT_MS;
    const upstreamQuery = withId(query, randomId());
    let reply = await exchangeUdp(upstream, upstreamQuery, timeout);
    let parsed = parseMessage(reply);
    if (parsed.flag_tc && transport === 'tcp') {
      reply = await exchangeTcp(upstream, upstreamQuery, timeout);
      parsed = parseMessage(reply);
    }
    if (parsed.rcode !== 'NOERROR' && parsed.rcode !== 'NXDOMAIN')
      throw new Error(`upstream answered with rcode ${parsed.rcode}`);
    const ttls = parsed.answers.map((a) => (a.type === 'OPT' ? 0 : (a.ttl ?? 0)));
    const entry: CachedAnswer = {
      question,
      message: reply,
      answers: parsed.answers,
      ttlOffsets: answerTtlOffsets(reply),
      ttl: ttls.length ? Math.min(...ttls) : 0,
      fetchedAtMs: this.now(),
    };
    if (!parsed.flag_tc) this.cache.put(entry);
    return entry;
  }

  /** Counted per container: one that takes over a freed address starts from nothing. */
  private watchTunnels(container: string, ip: string, name: string): void {
    let detector = this.tunnels.get(container);
    if (!detector) {
      detector = new DnsTunnelDetector();
      this.tunnels.set(container, detector);
    }
    for (const alert of detector.observe(name, this.now()))
      this.options.onAlert({ container, ip, alert });
  }

  /** The IPv4 addresses last answered for `name` (a name blocked live takes them out of nft). */
  answeredAddresses(name: string): string[] {
    const entry = this.cache.get({ name, type: 'A', class: 'IN' });
    return entry?.answers.flatMap((a) => (a.type === 'A' ? [a.data] : [])) ?? [];
  }

  /** Forgets a released container's tunnelling counters. */
  forget(container: string): void {
    this.tunnels.delete(container);
  }
}

function refusedAlert(policy: ResolverPolicy, question: Question): Alert {
  return {
    level: 'warning',
    category: 'network',
    title: TITLES.dnsRefused,
    description: `Container ${policy.container} asked for ${question.name}, which is not on its allowlist; refused`,
    evidence: {
      dns: {
        domain: parentDomain(question.name),
        query: question.name,
        reasons: ['not on the allowlist'],
      },
    },
  };
}

function listenError(kind: string, address: string, port: number, err: Error): Error {
  return new Error(
    `coi's DNS resolver cannot listen on ${kind} ${address}:${port} (${err.message}); ` +
      'is another coi daemon running, or is the bridge address not on this host?',
  );
}

function randomId(): number {
  return Math.floor(Math.random() * 0x10000);
}
