import { isIpv4Cidr } from '../../shared/ipv4.js';
import { parsePortList, portCount, PortListError, type PortSpec } from '../../shared/ports.js';

/** What the ruleset needs to know about one container's network settings (`[network]` config). */
export type NetworkMode = 'restricted' | 'allowlist' | 'open';

export interface NetworkPolicy {
  mode: NetworkMode;
  /** Parsed `allowed_domains`; only used in allowlist mode. */
  allowlist: Allowlist;
  allowLocalNetworkAccess: boolean;
  blockPrivateNetworks: boolean;
  blockMetadataEndpoint: boolean;
  /** `[[network.hosts]]` and `coi hosts add`: reachable in restricted and allowlist mode. */
  hosts?: HostEntry[];
  /** `allowed_ports`: restricted mode lets traffic beyond the gateway out on these only (absent: all). */
  allowedPorts?: number[];
  /** `dns_servers`: restricted mode sends DNS beyond the gateway to these only (absent: anywhere). */
  dnsServers?: string[];
  logging: LogOptions;
  /**
   * Open or restricted mode with `inject_in_open`: TCP 80/443 go to the egress proxy (which lets
   * every name through) instead of out; ignored in allowlist mode, which proxies anyway.
   */
  anyNameProxy?: boolean;
}

/** A named service the container may reach: its address, and the ports (empty: every port). */
export interface HostEntry {
  ip: string;
  hostnames: string[];
  ports: PortSpec[];
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
  ports: PortSpec[];
}

export interface AllowlistDomain {
  name: string;
  ports: PortSpec[];
}

/**
 * The most ports one host-name entry may name: each learned address gets one set element per port
 * (an interval set with timeouts would refuse the overlaps two names on one address can make).
 */
const MAX_DOMAIN_PORTS = 1024;

export interface Allowlist {
  addresses: AllowlistAddress[];
  domains: AllowlistDomain[];
}

export const EMPTY_ALLOWLIST: Allowlist = { addresses: [], domains: [] };

/**
 * Parses `allowed_domains` entries: `host`, `a.b.c.d`, `a.b.c.d/len`, each with optional ports
 * (`:443`, `:8000-8100`, `:80,8000-8100`).
 */
export function parseAllowlist(entries: readonly string[]): Allowlist {
  const allowlist: Allowlist = { addresses: [], domains: [] };
  for (const entry of entries) {
    const problem = allowlistEntryProblem(entry);
    if (problem) throw new Error(`network.allowed_domains: "${entry}" ${problem}`);
    const [host = '', portList] = entry.trim().split(':');
    const ports = portList === undefined ? [] : parsePortList(portList);
    if (isAddress(host)) allowlist.addresses.push({ cidr: host, ports });
    else allowlist.domains.push({ name: host.toLowerCase().replace(/\.$/, ''), ports });
  }
  return allowlist;
}

/** What is wrong with an `allowed_domains` entry (completes `"entry" …`), or undefined. */
export function allowlistEntryProblem(entry: string): string | undefined {
  const [host = '', portList, extra] = entry.trim().split(':');
  if (extra !== undefined || host === '' || (isAddress(host) && !isIpv4Cidr(host)))
    return (
      'is not a host name, IPv4 address or CIDR with optional :ports ' +
      '(for example "github.com", "140.82.112.0/20:443", "10.0.0.5:80,8000-8100")'
    );
  if (portList === undefined) return undefined;
  let ports: PortSpec[];
  try {
    ports = parsePortList(portList);
  } catch (err) {
    if (err instanceof PortListError) return `has a bad port: ${err.message}`;
    throw err;
  }
  if (!isAddress(host) && portCount(ports) > MAX_DOMAIN_PORTS)
    return (
      `names ${portCount(ports)} ports; a host name may name at most ${MAX_DOMAIN_PORTS} ` +
      '(list its IPv4 address or CIDR for a wider range)'
    );
  return undefined;
}

function isAddress(host: string): boolean {
  return /^[\d./]+$/.test(host);
}
