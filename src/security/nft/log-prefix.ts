import { isIpv4 } from '../../shared/ipv4.js';

/**
 * Log prefixes of the coi ruleset: `coi:<kind>:<container IPv4> `. The kernel prints the prefix
 * right before `IN=…`, so every kernel log line names the container it came from. nft allows 127
 * characters; ours are at most 24.
 */
export type LogKind =
  /** Cloud metadata endpoint. */
  | 'meta'
  /** RFC 1918, link-local or carrier-grade NAT destination. */
  | 'priv'
  /** Destination port on the reverse-shell / C2 list. */
  | 'port'
  /** Not on the allowlist. */
  | 'deny'
  /** DNS (53) or DNS-over-TLS (853) to a server other than the one coi provides. */
  | 'dns'
  /** DNS query to the allowed resolver (only logged when DNS query logging is on). */
  | 'dnsq'
  /** New connection (only logged when connection logging is on). */
  | 'conn';

export const LOG_KINDS: readonly LogKind[] = [
  'meta',
  'priv',
  'port',
  'deny',
  'dns',
  'dnsq',
  'conn',
];

export function logPrefix(kind: LogKind, containerIp: string): string {
  return `coi:${kind}:${containerIp} `;
}

const PREFIX = /^coi:([a-z]+):(\d{1,3}(?:\.\d{1,3}){3}) ?/;

/** Splits a kernel log message into coi's prefix fields and the rest, or undefined for other lines. */
export function splitLogPrefix(
  message: string,
): { kind: LogKind; containerIp: string; rest: string } | undefined {
  const match = PREFIX.exec(message);
  if (!match) return undefined;
  const [whole, kind = '', containerIp = ''] = match;
  if (!(LOG_KINDS as readonly string[]).includes(kind) || !isIpv4(containerIp)) return undefined;
  return { kind: kind as LogKind, containerIp, rest: message.slice(whole.length) };
}
