import { TITLES, type Alert, type AlertLevel, type NetworkEvidence } from '../alert.js';
import type { LogKind } from '../nft/log-prefix.js';
import type { NftLogEvent } from '../sources/kmsg-parse.js';
import { SlidingCounter } from './rate-window.js';

type Rule = {
  level: AlertLevel;
  title: string;
  reason: string;
  describe: (e: NftLogEvent) => string;
};

const destination = (e: NftLogEvent) => `${e.dst}${e.dpt === undefined ? '' : `:${e.dpt}`}`;

const RULES: Partial<Record<LogKind, Rule>> = {
  meta: {
    level: 'critical',
    title: TITLES.metadata,
    reason: 'cloud metadata endpoint',
    describe: (e) =>
      `Container ${e.containerIp} tried to reach the cloud metadata service at ${destination(e)}`,
  },
  port: {
    level: 'critical',
    title: TITLES.suspiciousPort,
    reason: 'reverse shell / C2 port',
    describe: (e) =>
      `Container ${e.containerIp} connected to ${destination(e)}, a port typical of reverse shells`,
  },
  priv: {
    level: 'high',
    title: TITLES.privateNetwork,
    reason: 'private network range',
    describe: (e) =>
      `Container ${e.containerIp} tried to reach ${destination(e)} on a private network`,
  },
  deny: {
    level: 'high',
    title: TITLES.allowlistViolation,
    reason: 'not on the allowlist',
    describe: (e) =>
      `Container ${e.containerIp} tried to reach ${destination(e)}, which is not on its allowlist`,
  },
  dns: {
    level: 'warning',
    title: TITLES.dnsServer,
    reason: 'DNS bypassing the coi resolver',
    describe: (e) =>
      `Container ${e.containerIp} sent DNS to ${destination(e)} instead of its gateway`,
  },
};

/** Why coi's rules drop a packet of this kind; undefined for kinds only logged (`conn`, `dnsq`). */
export function dropReason(kind: LogKind): string | undefined {
  return RULES[kind]?.reason;
}

/** The alert for a logged packet; connection and allowed-DNS lines (`conn`, `dnsq`) raise none. */
export function classifyNetworkEvent(event: NftLogEvent): Alert | undefined {
  const rule = RULES[event.kind];
  if (!rule) return undefined;
  return {
    level: rule.level,
    category: 'network',
    title: rule.title,
    description: rule.describe(event),
    evidence: { network: networkEvidence(event, rule.reason) },
  };
}

function networkEvidence(event: NftLogEvent, reason: string): NetworkEvidence {
  return {
    container_ip: event.containerIp,
    protocol: event.proto.toLowerCase(),
    src_ip: event.src,
    dst_ip: event.dst,
    src_port: event.spt,
    dst_port: event.dpt,
    reason,
  };
}

/** "High DNS query volume": more than `threshold` queries from one container per minute. */
export class DnsVolumeDetector {
  private readonly counter = new SlidingCounter(60_000);

  /** `thresholdOf`: the container's queries per minute (0: off), by its address. */
  constructor(private readonly thresholdOf: (containerIp: string) => number) {}

  /** Feed `dnsq` and `dns` events; returns an alert when a container crosses the threshold. */
  observe(event: NftLogEvent, nowMs: number): Alert | undefined {
    if (event.kind !== 'dnsq' && event.kind !== 'dns') return undefined;
    const threshold = this.thresholdOf(event.containerIp);
    if (threshold <= 0) return undefined;
    const count = this.counter.add(event.containerIp, nowMs);
    if (count !== threshold + 1) return undefined;
    return {
      level: 'warning',
      category: 'network',
      title: TITLES.dnsVolume,
      description: `Container ${event.containerIp} sent more than ${threshold} DNS queries in a minute`,
      evidence: {
        network: networkEvidence(event, `over ${threshold} DNS queries per minute`),
      },
    };
  }
}
