import { inCidr, isIpv4 } from '../../shared/ipv4.js';
import { checkHostNetwork, type HostNetwork } from './host.js';
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
import type { AllowlistAddress, NetworkPolicy } from './policy.js';

/** Destination ports typical of reverse shells and C2 listeners; logged in every mode. */
export const SUSPICIOUS_PORTS = ['4444', '5555', '1234', '31337', '12345', '6666-6667'] as const;

const REJECT = `goto ${REFUSE_CHAIN}`;
const TCP_UDP = 'meta l4proto { tcp, udp }';

const SET_SPEC: Record<ContainerSetRole, string> = {
  static: '{ type ipv4_addr; flags interval; auto-merge; }',
  staticPorts: '{ type ipv4_addr . inet_service; flags interval; }',
  learned: '{ type ipv4_addr; flags timeout; }',
  learnedPorts: '{ type ipv4_addr . inet_service; flags timeout; }',
};

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
  const out = [`add chain ${TABLE} ${chain}`, `flush chain ${TABLE} ${chain}`];
  if (allowlist) out.push(...allowlistSets(ip, policy));
  else out.push(...CONTAINER_SET_ROLES.flatMap((role) => dropSet(role, ip)));
  const rules = allowlist
    ? allowlistRules(ip, policy, host)
    : openOrRestrictedRules(ip, policy, host);
  out.push(...rules.map((rule) => `add rule ${TABLE} ${chain} ${rule}`));
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
    ...CONTAINER_SET_ROLES.flatMap((role) => dropSet(role, ip)),
  ]);
}

export interface LearnedAddress {
  address: string;
  /** Set when the allowlist entry that matched named ports. */
  ports?: number[];
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
  for (const { address, ports } of learned) {
    if (!isIpv4(address)) throw new Error(`learned address "${address}" is not an IPv4 address`);
    const role: ContainerSetRole = ports?.length ? 'learnedPorts' : 'learned';
    const set = containerSet(role, ip);
    const keys = ports?.length ? ports.map((port) => `${address} . ${port}`) : [address];
    const timed = keys.map((key) => `${key} timeout ${timeoutSec}s`).join(', ');
    out.push(
      `add element ${TABLE} ${set} { ${timed} }`,
      `delete element ${TABLE} ${set} { ${keys.join(', ')} }`,
      `add element ${TABLE} ${set} { ${timed} }`,
    );
  }
  return lines(out);
}

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
  if (privateBlocked(policy))
    rules.push(
      ...log(`ip daddr @${PRIVATE_SET}`, 'priv', ip, policy, enforce ? REJECT : undefined),
    );
  rules.push(...log(`${TCP_UDP} th dport { 53, 853 }`, 'dns', ip, policy), 'accept');
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
    `ip daddr ${host.gateway} accept`,
    ...connectionLog(ip, policy),
  );
  if (policy.blockMetadataEndpoint)
    rules.push(...log(`ip daddr @${METADATA_SET}`, 'meta', ip, policy, REJECT));
  rules.push(
    `ip daddr @${containerSet('static', ip)} accept`,
    `${TCP_UDP} ip daddr . th dport @${containerSet('staticPorts', ip)} accept`,
  );
  // Explicit entries win over the private ranges, learned ones do not: a listed name that resolves
  // to a LAN address (DNS rebinding) must not open the LAN.
  if (policy.allowLocalNetworkAccess) rules.push(`ip daddr @${PRIVATE_SET} accept`);
  else if (policy.blockPrivateNetworks)
    rules.push(...log(`ip daddr @${PRIVATE_SET}`, 'priv', ip, policy, REJECT));
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
  const all = policy.allowlist.addresses.filter((a) => a.ports.length === 0).map((a) => a.cidr);
  const withPorts = withoutCovered(policy.allowlist.addresses.filter((a) => a.ports.length > 0));
  const out: string[] = [];
  for (const [role, elements] of [
    ['static', all],
    ['staticPorts', withPorts],
  ] as const) {
    const set = containerSet(role, ip);
    out.push(`add set ${TABLE} ${set} ${SET_SPEC[role]}`, `flush set ${TABLE} ${set}`);
    if (elements.length > 0) out.push(`add element ${TABLE} ${set} { ${elements.join(', ')} }`);
  }
  out.push(...(['learned', 'learnedPorts'] as const).map((role) => addSet(role, ip)));
  return out;
}

/**
 * `cidr . port` elements, leaving out those a wider entry with the same port already covers
 * (nft rejects overlapping elements in a concatenated interval set).
 */
function withoutCovered(entries: AllowlistAddress[]): string[] {
  const pairs = [
    ...new Set(entries.flatMap((e) => e.ports.map((port) => `${withLength(e.cidr)} . ${port}`))),
  ].map((key) => {
    const [cidr = '', port = ''] = key.split(' . ');
    return { cidr, port, len: Number(cidr.split('/')[1]) };
  });
  return pairs
    .filter(
      (p) =>
        !pairs.some(
          (q) =>
            q !== p && q.port === p.port && q.len < p.len && inCidr(p.cidr.split('/')[0]!, q.cidr),
        ),
    )
    .map((p) => `${p.cidr.endsWith('/32') ? p.cidr.slice(0, -3) : p.cidr} . ${p.port}`);
}

function withLength(cidr: string): string {
  return cidr.includes('/') ? cidr : `${cidr}/32`;
}

function addSet(role: ContainerSetRole, ip: string): string {
  return `add set ${TABLE} ${containerSet(role, ip)} ${SET_SPEC[role]}`;
}

function dropSet(role: ContainerSetRole, ip: string): string[] {
  return [addSet(role, ip), `delete set ${TABLE} ${containerSet(role, ip)}`];
}

function lines(out: string[]): string {
  return out.join('\n') + '\n';
}
