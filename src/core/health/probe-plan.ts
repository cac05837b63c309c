import type { NetworkPolicy } from '../../security/nft/index.js';
import { inCidr } from '../../shared/ipv4.js';

/**
 * What the health probe tries, decided from the policy alone. The probe never sends anything off
 * the machine on purpose: it pings the bridge gateway, and tests the restriction against a free
 * address of the bridge's own subnet reached through the gateway (private ranges blocked: if coi
 * let it through, the host would only look for it on the bridge) or against an RFC 5737
 * documentation address, which nothing on the internet answers (allowlist mode).
 */

/** RFC 5737 documentation networks (TEST-NET-1..3), one address each. */
export const DOCUMENTATION_ADDRESSES = ['192.0.2.1', '198.51.100.1', '203.0.113.1'] as const;

export type BlockedTarget =
  { kind: 'private'; why: string } | { kind: 'documentation'; address: string; why: string };

/** A destination the policy must refuse, or why there is none to try. */
export function blockedTarget(policy: NetworkPolicy): BlockedTarget | { none: string } {
  if (policy.mode === 'open') return { none: 'open mode: nothing is restricted' };
  if (policy.blockPrivateNetworks && !policy.allowLocalNetworkAccess)
    return { kind: 'private', why: 'private networks are blocked' };
  if (policy.mode === 'allowlist') {
    const listed = policy.allowlist.addresses.map((a) => a.cidr);
    const address = DOCUMENTATION_ADDRESSES.find(
      (ip) => !listed.some((cidr) => inCidr(ip, cidr.includes('/') ? cidr : `${cidr}/32`)),
    );
    return address
      ? { kind: 'documentation', address, why: 'it is not on the allowlist' }
      : { none: 'every documentation address is allowlisted; nothing safe to try' };
  }
  return {
    none: policy.allowLocalNetworkAccess
      ? 'allow_local_network_access = true: private networks are reachable'
      : 'block_private_networks = false: private networks are reachable',
  };
}

export interface ProbeOutput {
  gateway: 'ok' | 'unreachable';
  /** undefined when no target was tried. */
  target?: 'refused' | 'connected' | 'timeout' | 'unreachable';
  detail: string;
}

/**
 * The shell run in the probe as root: `$1` gateway, `$2` target (or ""), `$3` "gateway" when the
 * target is to be reached through the gateway's MAC address (a static neighbour entry).
 */
export const PROBE_SCRIPT = [
  'gw="$1"; target="$2"; via="$3"',
  // DHCP hands the pinned address out a few seconds after boot.
  'i=0; until ip -4 -o addr show dev eth0 | grep -q inet || [ "$i" -ge 150 ]; do i=$((i+1)); sleep 0.2; done',
  'if ping -c 1 -W 3 "$gw" >/dev/null 2>&1; then echo gateway=ok; else echo gateway=unreachable; fi',
  '[ -n "$target" ] || exit 0',
  'if [ "$via" = gateway ]; then',
  '  mac=$(ip neigh show "$gw" dev eth0 | awk \'{ print $3 }\')',
  '  ip neigh replace "$target" lladdr "$mac" dev eth0 nud permanent',
  'fi',
  'out=$(timeout 6 bash -c \'exec 3<>"/dev/tcp/$0/80"\' "$target" 2>&1); rc=$?',
  'case "$rc:$out" in',
  '  0:*) echo target=connected ;;',
  '  *refused*) echo target=refused ;;',
  '  124:*) echo target=timeout ;;',
  '  *) echo target=unreachable ;;',
  'esac',
  'echo "detail=$out"',
].join('\n');

/** Reads what PROBE_SCRIPT printed. */
export function parseProbeOutput(stdout: string): ProbeOutput {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0 && !values.has(line.slice(0, at))) values.set(line.slice(0, at), line.slice(at + 1));
  }
  const target = values.get('target');
  const known = ['refused', 'connected', 'timeout', 'unreachable'] as const;
  return {
    gateway: values.get('gateway') === 'ok' ? 'ok' : 'unreachable',
    ...(target ? { target: known.find((k) => k === target) ?? 'unreachable' } : {}),
    detail: (values.get('detail') ?? '').trim(),
  };
}
