import { isIpv4Cidr } from '../../shared/ipv4.js';

/** What the ruleset needs to know about one container's network settings (`[network]` config). */
export type NetworkMode = 'restricted' | 'allowlist' | 'open';

export interface NetworkPolicy {
  mode: NetworkMode;
  /** Parsed `allowed_domains`; only used in allowlist mode. */
  allowlist: Allowlist;
  allowLocalNetworkAccess: boolean;
  blockPrivateNetworks: boolean;
  blockMetadataEndpoint: boolean;
  logging: LogOptions;
}

export interface LogOptions {
  /** Per-rule cap on log lines (`[monitoring.nft] rate_limit_per_second`). */
  ratePerSecond: number;
  /** Log every new connection (for the live network tail). */
  connections: boolean;
  /** Log DNS queries to the allowed resolver (`[monitoring.nft] log_dns_queries`). */
  dnsQueries: boolean;
}

export interface AllowlistAddress {
  /** An IPv4 address or CIDR. */
  cidr: string;
  /** Empty: every port. */
  ports: number[];
}

export interface AllowlistDomain {
  name: string;
  ports: number[];
}

export interface Allowlist {
  addresses: AllowlistAddress[];
  domains: AllowlistDomain[];
}

export const EMPTY_ALLOWLIST: Allowlist = { addresses: [], domains: [] };

/** Parses `allowed_domains` entries: `host`, `a.b.c.d`, `a.b.c.d/len`, each with optional `:p1,p2`. */
export function parseAllowlist(entries: readonly string[]): Allowlist {
  const allowlist: Allowlist = { addresses: [], domains: [] };
  for (const entry of entries) {
    const [host = '', portText, extra] = entry.trim().split(':');
    if (extra !== undefined || host === '') throw badEntry(entry);
    const ports = portText === undefined ? [] : portText.split(',').map((p) => parsePort(p, entry));
    if (/^[\d./]+$/.test(host)) {
      if (!isIpv4Cidr(host)) throw badEntry(entry);
      allowlist.addresses.push({ cidr: host, ports });
    } else {
      allowlist.domains.push({ name: host.toLowerCase().replace(/\.$/, ''), ports });
    }
  }
  return allowlist;
}

function parsePort(text: string, entry: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw badEntry(entry);
  return port;
}

function badEntry(entry: string): Error {
  return new Error(
    `network.allowed_domains: "${entry}" is not a host name, IPv4 address or CIDR with optional ` +
      ':port[,port…] (for example "github.com", "140.82.112.0/20:443")',
  );
}
