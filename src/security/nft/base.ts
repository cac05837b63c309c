import { METADATA_V4, PRIVATE_V4 } from '../../shared/ipv4.js';
import { checkHostNetwork, type HostNetwork } from './host.js';
import { PROXY_DISPATCH_RULE, proxyBaseObjects } from './proxy.js';
import {
  DISPATCH_MAP,
  DNS_REDIRECT_SET,
  METADATA_SET,
  PRIVATE_SET,
  REFUSE_CHAIN,
  TABLE,
} from './names.js';

/**
 * The shared part of coi's table. Traffic entering from the bridge is dispatched by source IPv4
 * through a verdict map to the container's own chain, so adding or removing one container touches
 * only its chain, sets and map element. Sources not in the map (containers coi does not manage)
 * pass untouched; IPv6 from the bridge is dropped for everyone. Because of that pass, coi's
 * containers need `security.ipv4_filtering=true` on their NIC: otherwise one could take an address
 * the map does not know and leave unfiltered.
 *
 * Re-applying is safe and keeps the containers' chains, map elements and learned sets: the base
 * chains and fixed sets are flushed and refilled, nothing else is touched.
 */
export function renderBase(host: HostNetwork): string {
  checkHostNetwork(host);
  const bridge = `"${host.bridge}"`;
  const lines = [
    `add table ${TABLE}`,
    `add map ${TABLE} ${DISPATCH_MAP} { type ipv4_addr : verdict; }`,
    `add set ${TABLE} ${DNS_REDIRECT_SET} { type ipv4_addr; }`,
    ...proxyBaseObjects(),
    ...fixedSet(METADATA_SET, METADATA_V4),
    ...fixedSet(PRIVATE_SET, PRIVATE_V4),
    // An ICMP error that arrives while connect() still holds the socket only becomes a soft error
    // (the caller waits for the SYN retransmit); a reset is queued and fails connect() at once.
    ...chain(REFUSE_CHAIN, undefined, [
      'meta l4proto tcp reject with tcp reset',
      'reject with icmpx type admin-prohibited',
    ]),
    ...chain('forward', 'type filter hook forward priority filter + 10; policy accept;', [
      `iifname != ${bridge} return`,
      'meta nfproto ipv6 counter drop',
      'ct state established,related accept',
      `ip saddr vmap @${DISPATCH_MAP}`,
    ]),
    ...chain('input', 'type filter hook input priority filter + 10; policy accept;', [
      `iifname != ${bridge} return`,
      'icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert } accept',
      'meta nfproto ipv6 counter drop',
      'ct state established,related accept',
      // DHCP: a container asks for its lease before it has the address the map knows it by.
      'udp sport 68 udp dport 67 accept',
      `ip saddr vmap @${DISPATCH_MAP}`,
    ]),
    ...chain('prerouting', 'type nat hook prerouting priority dstnat + 10; policy accept;', [
      `iifname != ${bridge} return`,
      ...(host.resolver
        ? [
            `ip saddr @${DNS_REDIRECT_SET} ip daddr ${host.gateway} meta l4proto { tcp, udp } th dport 53 ` +
              `dnat ip to ${host.resolver.address}:${host.resolver.port}`,
          ]
        : []),
      PROXY_DISPATCH_RULE,
    ]),
  ];
  return lines.join('\n') + '\n';
}

/** Removes coi's whole table (uninstall); safe when it does not exist. */
export function renderTableRemoval(): string {
  return `add table ${TABLE}\ndelete table ${TABLE}\n`;
}

function fixedSet(name: string, elements: readonly string[]): string[] {
  return [
    `add set ${TABLE} ${name} { type ipv4_addr; flags interval; }`,
    `flush set ${TABLE} ${name}`,
    `add element ${TABLE} ${name} { ${elements.join(', ')} }`,
  ];
}

/** A chain flushed and refilled; `spec` makes it a base chain on a hook. */
function chain(name: string, spec: string | undefined, rules: string[]): string[] {
  return [
    `add chain ${TABLE} ${name}${spec ? ` { ${spec} }` : ''}`,
    `flush chain ${TABLE} ${name}`,
    ...rules.map((rule) => `add rule ${TABLE} ${name} ${rule}`),
  ];
}
