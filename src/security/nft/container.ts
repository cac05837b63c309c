import { isIpv4 } from '../../shared/ipv4.js';
import { portSpans, type PortSpec } from '../../shared/ports.js';
import { checkHostNetwork, type HostNetwork } from './host.js';
import { HOST_SET_ROLES, hostRules, hostSets } from './hosts.js';
import { logPrefix, type LogKind } from './log-prefix.js';
import {
  CONTAINER_SET_ROLES,
  DISPATCH_MAP,
  DNS_REDIRECT_SET,
  METADATA_SET,
  PRIVATE_SET,
  REFUSE_CHAIN,
  TABLE,
  containerChain,
  containerSet,
  type ContainerSetRole,
} from './names.js';
import type { NetworkPolicy } from './policy.js';
import { addressPortElements } from './port-elements.js';
import {
  anyNameChainRules,
  dropProxyChain,
  openProxyChain,
  proxyChainRules,
  proxyFailClosedRules,
} from './proxy.js';
import { addSet, dropSet, fillSet } from './sets.js';

/** Destination ports typical of reverse shells and C2 listeners; logged in every mode. */
export const SUSPICIOUS_PORTS = ['4444', '5555', '1234', '31337', '12345', '6666-6667'] as const;

const REJECT = `goto ${REFUSE_CHAIN}`;
const TCP_UDP = 'meta l4proto { tcp, udp }';
const DNS_PORTS = 'th dport { 53, 853 }';

/**
 * Block everything from a container whose rules are not in yet (install before it starts, with the
 * address pinned on its NIC). DHCP still works through the base input chain.
 */
export function renderGate(ip: string): string {
  const chain = containerChain(ip);
  return lines([
    `add chain ${TABLE} ${chain}`,
    `flush chain ${TABLE} ${chain}`,
    `add rule ${TABLE} ${chain} drop`,
    `add element ${TABLE} ${DISPATCH_MAP} { ${ip} : jump ${chain} }`,
  ]);
}

/**
 * One atomic batch that (re)writes a container's chain and sets for its policy, replacing a gate or
 * an earlier policy. Learned addresses survive a re-apply; sets the new mode does not use go away.
 */
export function renderContainer(ip: string, policy: NetworkPolicy, host: HostNetwork): string {
  checkHostNetwork(host);
  const chain = containerChain(ip);
  const allowlist = policy.mode === 'allowlist';
  if (allowlist && policy.allowlist.domains.length > 0 && !host.resolver)
    throw new Error(
      `container ${ip}: the allowlist names domains (${policy.allowlist.domains[0]?.name}, …) ` +
        "but coi's DNS resolver is not configured, so they could never be resolved",
    );
  const redirect = allowlist && host.resolver !== undefined;
  const proxied = allowlist && host.egressProxy === true;
  const anyName = !allowlist && policy.anyNameProxy === true;
  if (anyName && !host.egressProxy)
    throw new Error(
      `container ${ip}: its HTTP(S) is to go through coi's egress proxy (network.proxy.inject_in_open) ` +
        'but the host network has no egress proxy',
    );
  // Both chains are emptied first: a set still referred to by a rule could not be dropped.
  const out = [
    `add chain ${TABLE} ${chain}`,
    `flush chain ${TABLE} ${chain}`,
    ...openProxyChain(ip),
  ];
  if (allowlist) out.push(...allowlistSets(ip, policy));
  if (policy.mode !== 'open') out.push(...hostSets(ip, policy.hosts ?? []));
  out.push(...unusedSets(policy.mode).flatMap((role) => dropSet(role, ip)));
  const rules = allowlist
    ? allowlistRules(ip, policy, host)
    : openOrRestrictedRules(ip, policy, host);
  out.push(...rules.map((rule) => `add rule ${TABLE} ${chain} ${rule}`));
  if (proxied) out.push(...proxyChainRules(ip, policy));
  else if (anyName) out.push(...anyNameChainRules(ip, policy, host));
  else out.push(...dropProxyChain(ip));
  out.push(`add element ${TABLE} ${DISPATCH_MAP} { ${ip} : jump ${chain} }`);
  const redirectElement = `element ${TABLE} ${DNS_REDIRECT_SET} { ${ip} }`;
  out.push(`add ${redirectElement}`);
  if (!redirect) out.push(`delete ${redirectElement}`);
  return lines(out);
}

/** Removes everything of one container in one batch; safe when some or all of it is absent. */
export function renderRemoval(ip: string): string {
  const chain = containerChain(ip);
  return lines([
    // nft 1.0.6 has no "destroy": add each object (a no-op when present) so the delete cannot fail.
    `add chain ${TABLE} ${chain}`,
    `add element ${TABLE} ${DISPATCH_MAP} { ${ip} : jump ${chain} }`,
    `delete element ${TABLE} ${DISPATCH_MAP} { ${ip} }`,
    `add element ${TABLE} ${DNS_REDIRECT_SET} { ${ip} }`,
    `delete element ${TABLE} ${DNS_REDIRECT_SET} { ${ip} }`,
    `flush chain ${TABLE} ${chain}`,
    `delete chain ${TABLE} ${chain}`,
    ...openProxyChain(ip),
    ...dropProxyChain(ip),
    ...CONTAINER_SET_ROLES.flatMap((role) => dropSet(role, ip)),
  ]);
}

export interface LearnedAddress {
  address: string;
  /** Set when the allowlist entry that matched named ports (ranges learn each of their ports). */
  ports?: PortSpec[];
}

/**
 * What coi's DNS resolver applies before answering: the answered addresses, valid for `timeoutSec`.
 * Re-learning an address restarts its timeout.
 */
export function renderLearned(ip: string, learned: LearnedAddress[], timeoutSec: number): string {
  if (!Number.isInteger(timeoutSec) || timeoutSec < 1)
    throw new Error(
      `learned address timeout must be a whole number of seconds ≥ 1, not ${timeoutSec}`,
    );
  const out: string[] = [];
  for (const entry of learned) {
    const { set, keys } = learnedElements(ip, entry);
    const timed = keys.map((key) => `${key} timeout ${timeoutSec}s`).join(', ');
    out.push(
      `add element ${TABLE} ${set} { ${timed} }`,
      `delete element ${TABLE} ${set} { ${keys.join(', ')} }`,
      `add element ${TABLE} ${set} { ${timed} }`,
    );
  }
  return lines(out);
}

/**
 * Takes learned addresses out again (a name blocked live). Each is added first, so deleting one
 * that already timed out is not an error.
 */
export function renderUnlearned(ip: string, learned: LearnedAddress[]): string {
  const out: string[] = [];
  for (const entry of learned) {
    const { set, keys } = learnedElements(ip, entry);
    out.push(
      `add element ${TABLE} ${set} { ${keys.map((key) => `${key} timeout 1s`).join(', ')} }`,
      `delete element ${TABLE} ${set} { ${keys.join(', ')} }`,
    );
  }
  return lines(out);
}

/** The set a learned address goes into, and its elements there (one per port with ports). */
function learnedElements(ip: string, { address, ports }: LearnedAddress) {
  if (!isIpv4(address)) throw new Error(`learned address "${address}" is not an IPv4 address`);
  const role: ContainerSetRole = ports?.length ? 'learnedPorts' : 'learned';
  const keys = ports?.length ? eachPort(ports).map((port) => `${address} . ${port}`) : [address];
  return { set: containerSet(role, ip), keys };
}

/** The sets a mode does not use; they go, so nothing of an earlier mode stays reachable. */
function unusedSets(mode: NetworkPolicy['mode']): ContainerSetRole[] {
  if (mode === 'allowlist') return [];
  return CONTAINER_SET_ROLES.filter((role) => mode === 'open' || !HOST_SET_ROLES.includes(role));
}

/** A learned address's ports one by one (see MAX_DOMAIN_PORTS). */
function eachPort(ports: readonly PortSpec[]): number[] {
  return portSpans(ports).flatMap(([from, to]) =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i),
  );
}

/**
 * Open mode only logs. Restricted mode: the gateway, named hosts and `dns_servers` first, then the
 * metadata and private blocks, DNS only to the gateway and `dns_servers` when those are given, and
 * with `allowed_ports` nothing but those ports (and rate-limited pings) beyond that.
 */
function openOrRestrictedRules(ip: string, policy: NetworkPolicy, host: HostNetwork): string[] {
  const enforce = policy.mode === 'restricted';
  const rules = [
    ...portWatch(ip, policy),
    ...(policy.logging.dnsQueries
      ? log(`ip daddr ${host.gateway} ${TCP_UDP} th dport 53`, 'dnsq', ip, policy)
      : []),
    `ip daddr ${host.gateway} accept`,
    ...connectionLog(ip, policy),
  ];
  if (policy.blockMetadataEndpoint)
    rules.push(
      ...log(`ip daddr @${METADATA_SET}`, 'meta', ip, policy, enforce ? REJECT : undefined),
    );
  const dnsServers = enforce ? (policy.dnsServers ?? []) : [];
  const allowedPorts = enforce ? (policy.allowedPorts ?? []) : [];
  if (enforce) rules.push(...hostRules(ip));
  if (dnsServers.length > 0)
    rules.push(`ip daddr { ${dnsServers.join(', ')} } ${TCP_UDP} ${DNS_PORTS} accept`);
  if (privateBlocked(policy))
    rules.push(
      ...log(`ip daddr @${PRIVATE_SET}`, 'priv', ip, policy, enforce ? REJECT : undefined),
    );
  const pinDns = dnsServers.length > 0 ? REJECT : undefined;
  rules.push(...log(`${TCP_UDP} ${DNS_PORTS}`, 'dns', ip, policy, pinDns));
  if (allowedPorts.length > 0) {
    rules.push(
      `${TCP_UDP} th dport { ${allowedPorts.join(', ')} } accept`,
      'icmp type echo-request limit rate 10/second accept',
      ...log('', 'deny', ip, policy, REJECT),
    );
  } else rules.push('accept');
  return rules;
}

function allowlistRules(ip: string, policy: NetworkPolicy, host: HostNetwork): string[] {
  const rules = portWatch(ip, policy);
  const resolver = host.resolver;
  if (resolver) {
    const toResolver = `ip daddr ${resolver.address} ${TCP_UDP} th dport ${resolver.port}`;
    if (policy.logging.dnsQueries) rules.push(...log(toResolver, 'dnsq', ip, policy));
    rules.push(`${toResolver} accept`);
  }
  rules.push(
    ...log(`${TCP_UDP} th dport { 53, 853 }`, 'dns', ip, policy, REJECT),
    // A name may resolve to the gateway (a service on the host): its HTTP(S) goes through the proxy too.
    ...(host.egressProxy ? proxyFailClosedRules(ip, host.gateway) : []),
    `ip daddr ${host.gateway} accept`,
    ...connectionLog(ip, policy),
  );
  if (policy.blockMetadataEndpoint)
    rules.push(...log(`ip daddr @${METADATA_SET}`, 'meta', ip, policy, REJECT));
  rules.push(
    ...hostRules(ip),
    `ip daddr @${containerSet('static', ip)} accept`,
    `${TCP_UDP} ip daddr . th dport @${containerSet('staticPorts', ip)} accept`,
  );
  const failClosed = host.egressProxy ? proxyFailClosedRules(ip) : [];
  // Explicit entries win over the private ranges, learned ones do not: a listed name that resolves
  // to a LAN address (DNS rebinding) must not open the LAN.
  if (policy.allowLocalNetworkAccess) rules.push(...failClosed, `ip daddr @${PRIVATE_SET} accept`);
  else if (policy.blockPrivateNetworks)
    rules.push(...log(`ip daddr @${PRIVATE_SET}`, 'priv', ip, policy, REJECT), ...failClosed);
  else rules.push(...failClosed);
  rules.push(
    `ip daddr @${containerSet('learned', ip)} accept`,
    `${TCP_UDP} ip daddr . th dport @${containerSet('learnedPorts', ip)} accept`,
    ...log('', 'deny', ip, policy, REJECT),
  );
  return rules;
}

/** Logged before any verdict, so a reverse shell to the gateway is seen too. */
function portWatch(ip: string, policy: NetworkPolicy): string[] {
  return log(`${TCP_UDP} th dport { ${SUSPICIOUS_PORTS.join(', ')} }`, 'port', ip, policy);
}

/** New connections beyond the host, allowed or not, for the live network tail. */
function connectionLog(ip: string, policy: NetworkPolicy): string[] {
  return policy.logging.connections ? log('ct state new', 'conn', ip, policy) : [];
}

function privateBlocked(policy: NetworkPolicy): boolean {
  return policy.blockPrivateNetworks && !policy.allowLocalNetworkAccess;
}

/**
 * A rate-limited log rule, then the verdict as its own rule: a limit that is exceeded must only
 * silence the log, never skip the verdict.
 */
function log(
  match: string,
  kind: LogKind,
  ip: string,
  policy: NetworkPolicy,
  verdict?: string,
): string[] {
  const rate = policy.logging.ratePerSecond;
  const limit = rate > 0 ? `limit rate ${rate}/second burst ${rate} packets ` : '';
  const head = match ? `${match} ` : '';
  const rule = `${head}${limit}log prefix "${logPrefix(kind, ip)}" level info`;
  return verdict ? [rule, `${head}${verdict}`] : [rule];
}

function allowlistSets(ip: string, policy: NetworkPolicy): string[] {
  const { addresses } = policy.allowlist;
  const all = addresses.filter((a) => a.ports.length === 0).map((a) => a.cidr);
  const withPorts = addressPortElements(addresses.filter((a) => a.ports.length > 0));
  return [
    ...fillSet('static', ip, all),
    ...fillSet('staticPorts', ip, withPorts),
    addSet('learned', ip),
    addSet('learnedPorts', ip),
  ];
}

function lines(out: string[]): string {
  return out.join('\n') + '\n';
}
