import { isIpv4 } from '../../shared/ipv4.js';
import {
  METADATA_SET,
  PRIVATE_SET,
  REFUSE_CHAIN,
  TABLE,
  containerSet,
  proxyChain,
} from './names.js';
import type { HostNetwork } from './host.js';
import type { NetworkPolicy } from './policy.js';

/**
 * The nft side of coi's egress proxy (allowlist mode). Node cannot read a redirected connection's
 * original destination (SO_ORIGINAL_DST), so the destination is carried by the port: the proxy
 * leases one port on the gateway per learned `address . port`, and a global map sends
 * `daddr . dport` to `gateway . leased port`. Each allowlist container's own NAT chain (entered by
 * source address, like the filter dispatch) applies that map to TCP 80/443 towards its learned
 * addresses only; explicit address entries and named hosts stay direct. A learned destination on
 * 80/443 that was not redirected (no lease: the proxy is down or never saw it) is refused in the
 * filter chain, so a container never reaches it around the proxy.
 */

export const PROXIED_PORTS = [80, 443] as const;
export type ProxiedPort = (typeof PROXIED_PORTS)[number];
/**
 * Where the proxy listens for containers of `NetworkPolicy.anyNameProxy`, per original port: they
 * resolve no name through coi, so there is no learned address to lease a port for. The proxy
 * takes the destination from the name the client asks for (below the leased ports' range).
 */
export const ANY_NAME_PORTS: Readonly<Record<ProxiedPort, number>> = { 80: 39_080, 443: 39_443 };
/** `daddr . dport` → `gateway . proxy port`, written by the proxy when coi's resolver learns. */
export const PROXY_TARGET_MAP = 'proxy_targets';
/** Source IPv4 → `jump` to the container's proxy NAT chain. */
export const PROXY_DISPATCH_MAP = 'proxy_dispatch';

const PORTS = `{ ${PROXIED_PORTS.join(', ')} }`;
const REDIRECT = `dnat ip to ip daddr . tcp dport map @${PROXY_TARGET_MAP}`;

/** The shared objects: the target map and the dispatch map (rules for it go in prerouting). */
export function proxyBaseObjects(): string[] {
  return [
    `add map ${TABLE} ${PROXY_TARGET_MAP} { type ipv4_addr . inet_service : ipv4_addr . inet_service; flags timeout; }`,
    `add map ${TABLE} ${PROXY_DISPATCH_MAP} { type ipv4_addr : verdict; }`,
  ];
}

export const PROXY_DISPATCH_RULE = `ip saddr vmap @${PROXY_DISPATCH_MAP}`;

/** The container's proxy NAT chain, emptied; its rules and dispatch element follow. */
export function openProxyChain(ip: string): string[] {
  const chain = proxyChain(ip);
  return [`add chain ${TABLE} ${chain}`, `flush chain ${TABLE} ${chain}`];
}

/** Rules and dispatch element of a proxied container (after `openProxyChain` and its sets). */
export function proxyChainRules(ip: string, policy: NetworkPolicy): string[] {
  const chain = proxyChain(ip);
  const direct = [
    `ip daddr @${containerSet('static', ip)}`,
    `ip daddr . tcp dport @${containerSet('staticPorts', ip)}`,
    `ip daddr @${containerSet('hosts', ip)}`,
    `ip daddr . tcp dport @${containerSet('hostsPorts', ip)}`,
    // Left to the filter chain, which refuses them (a learned name must not open the LAN).
    ...(policy.blockMetadataEndpoint ? [`ip daddr @${METADATA_SET}`] : []),
    ...(policy.blockPrivateNetworks && !policy.allowLocalNetworkAccess
      ? [`ip daddr @${PRIVATE_SET}`]
      : []),
  ];
  const rules = [
    ...direct.map((match) => `meta l4proto tcp ${match} return`),
    `tcp dport ${PORTS} ip daddr @${containerSet('learned', ip)} ${REDIRECT}`,
    `tcp dport ${PORTS} ip daddr . tcp dport @${containerSet('learnedPorts', ip)} ${REDIRECT}`,
  ];
  return [
    ...rules.map((rule) => `add rule ${TABLE} ${chain} ${rule}`),
    `add element ${TABLE} ${PROXY_DISPATCH_MAP} { ${ip} : jump ${chain} }`,
  ];
}

/**
 * Rules and dispatch element of an open or restricted container whose HTTP(S) goes through the
 * proxy for every name (after `openProxyChain`). What restricted mode refuses (metadata, private
 * ranges; ports beyond `allowed_ports`) and its named hosts stay direct, so its filter chain still
 * decides them; the gateway is proxied like in allowlist mode. Nothing else on 80/443 leaves
 * without the proxy: with it down the redirect meets a closed port (fail closed).
 */
export function anyNameChainRules(ip: string, policy: NetworkPolicy, host: HostNetwork): string[] {
  const { gateway } = host;
  const listening = host.anyNamePorts ?? ANY_NAME_PORTS;
  const chain = proxyChain(ip);
  const restricted = policy.mode === 'restricted';
  const notGateway = `ip daddr != ${gateway}`;
  const direct = restricted
    ? [
        `ip daddr @${containerSet('hosts', ip)}`,
        `ip daddr . tcp dport @${containerSet('hostsPorts', ip)}`,
        ...(policy.blockMetadataEndpoint ? [`ip daddr @${METADATA_SET}`] : []),
        ...(policy.blockPrivateNetworks && !policy.allowLocalNetworkAccess
          ? [`${notGateway} ip daddr @${PRIVATE_SET}`]
          : []),
      ]
    : [];
  const allowed = restricted && policy.allowedPorts?.length ? policy.allowedPorts : undefined;
  const ports = PROXIED_PORTS.filter((port) => !allowed || allowed.includes(port));
  const rules = [
    ...direct.map((match) => `meta l4proto tcp ${match} return`),
    ...ports.map((port) => `tcp dport ${port} dnat ip to ${gateway}:${listening[port]}`),
  ];
  return [
    ...rules.map((rule) => `add rule ${TABLE} ${chain} ${rule}`),
    `add element ${TABLE} ${PROXY_DISPATCH_MAP} { ${ip} : jump ${chain} }`,
  ];
}

/** Takes the container's proxy chain and dispatch element away (after `openProxyChain`). */
export function dropProxyChain(ip: string): string[] {
  const chain = proxyChain(ip);
  return [
    `add element ${TABLE} ${PROXY_DISPATCH_MAP} { ${ip} : jump ${chain} }`,
    `delete element ${TABLE} ${PROXY_DISPATCH_MAP} { ${ip} }`,
    `delete chain ${TABLE} ${chain}`,
  ];
}

/**
 * Filter rules: learned destinations on 80/443 that arrive here were not redirected. With `only`,
 * just for that destination (the gateway, which the chain otherwise accepts on every port).
 */
export function proxyFailClosedRules(ip: string, only?: string): string[] {
  const to = only ? `ip daddr ${only} ` : '';
  return [
    `tcp dport ${PORTS} ${to}ip daddr @${containerSet('learned', ip)} goto ${REFUSE_CHAIN}`,
    `tcp dport ${PORTS} ${to}ip daddr . tcp dport @${containerSet('learnedPorts', ip)} goto ${REFUSE_CHAIN}`,
  ];
}

export interface ProxyTargetLease {
  /** The destination the container connected to. */
  address: string;
  port: number;
  /** The proxy's port on the gateway that stands for it. */
  proxyPort: number;
}

/**
 * Puts (or refreshes) leased targets in the map, valid for `timeoutSec`. nft refuses to add a key
 * again with other data, so a destination must keep its proxy port while its element may exist
 * (PortPool leases outlive the elements; a starting proxy flushes the map).
 */
export function renderProxyTargets(
  gateway: string,
  leases: readonly ProxyTargetLease[],
  timeoutSec: number,
): string {
  if (!isIpv4(gateway)) throw new Error(`proxy address "${gateway}" is not an IPv4 address`);
  if (!Number.isInteger(timeoutSec) || timeoutSec < 1)
    throw new Error(
      `proxy target timeout must be a whole number of seconds ≥ 1, not ${timeoutSec}`,
    );
  const out: string[] = [];
  for (const { address, port, proxyPort } of leases) {
    if (!isIpv4(address)) throw new Error(`proxy target "${address}" is not an IPv4 address`);
    const key = `${address} . ${port}`;
    const element = `${key} timeout ${timeoutSec}s : ${gateway} . ${proxyPort}`;
    const map = `${TABLE} ${PROXY_TARGET_MAP}`;
    out.push(`add element ${map} { ${element} }`, `delete element ${map} { ${key} }`);
    out.push(`add element ${map} { ${element} }`);
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** Empties the target map (a starting proxy holds no leases yet). */
export function renderProxyTargetFlush(): string {
  return `flush map ${TABLE} ${PROXY_TARGET_MAP}\n`;
}
