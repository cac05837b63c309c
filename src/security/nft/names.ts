import { isIpv4 } from '../../shared/ipv4.js';

/**
 * Names inside coi's own table. Everything that belongs to one container carries its IPv4 with
 * dots turned into underscores, so the reconciler can tell from a listing which container an
 * object belongs to.
 */

export const TABLE_FAMILY = 'inet';
export const TABLE_NAME = 'coi';
export const TABLE = `${TABLE_FAMILY} ${TABLE_NAME}`;

/** Verdict map: container IPv4 → `jump` to its chain. */
export const DISPATCH_MAP = 'dispatch';
/** Containers whose DNS to the gateway is redirected to coi's resolver. */
export const DNS_REDIRECT_SET = 'dns_redirect';
/** Where blocked packets go: a TCP reset (fails connect() at once) or ICMP admin-prohibited. */
export const REFUSE_CHAIN = 'refuse';
export const METADATA_SET = 'metadata4';
export const PRIVATE_SET = 'private4';

/**
 * Per-container sets: static allowlist entries, addresses learned by coi's DNS resolver, and the
 * named hosts (`[[network.hosts]]`, `coi hosts add`).
 */
export type ContainerSetRole =
  'static' | 'staticPorts' | 'learned' | 'learnedPorts' | 'hosts' | 'hostsPorts';

const SET_PREFIX: Record<ContainerSetRole, string> = {
  static: 's4_',
  staticPorts: 's4p_',
  learned: 'd4_',
  learnedPorts: 'd4p_',
  hosts: 'h4_',
  hostsPorts: 'h4p_',
};

export const CONTAINER_SET_ROLES = Object.keys(SET_PREFIX) as ContainerSetRole[];

const CHAIN_PREFIX = 'c_';
/** The container's NAT chain that redirects its HTTP(S) to the egress proxy (see proxy.ts). */
const PROXY_CHAIN_PREFIX = 'p_';

function suffix(ip: string): string {
  if (!isIpv4(ip))
    throw new Error(`"${ip}" is not an IPv4 address; coi keys container rules by IPv4`);
  return ip.replaceAll('.', '_');
}

export function containerChain(ip: string): string {
  return CHAIN_PREFIX + suffix(ip);
}

export function proxyChain(ip: string): string {
  return PROXY_CHAIN_PREFIX + suffix(ip);
}

export function containerSet(role: ContainerSetRole, ip: string): string {
  return SET_PREFIX[role] + suffix(ip);
}

/** The container IPv4 a chain or set name belongs to, or undefined for the shared objects. */
export function ipOfObject(name: string): string | undefined {
  const prefixes = [CHAIN_PREFIX, PROXY_CHAIN_PREFIX, ...Object.values(SET_PREFIX)];
  for (const prefix of prefixes) {
    if (!name.startsWith(prefix)) continue;
    const ip = name.slice(prefix.length).replaceAll('_', '.');
    if (isIpv4(ip)) return ip;
  }
  return undefined;
}
