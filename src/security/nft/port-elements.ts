import { inCidr } from '../../shared/ipv4.js';
import {
  portSpans,
  portText,
  spanSpec,
  subtractSpans,
  type PortSpan,
  type PortSpec,
} from '../../shared/ports.js';

/**
 * `cidr . port` and `cidr . from-to` elements for an `ipv4_addr . inet_service` interval set. nft
 * refuses overlapping elements there, so each address's ports are merged into disjoint spans and
 * the ports a wider entry already covers are left out of the narrower ones inside it.
 */
export function addressPortElements(
  entries: readonly { cidr: string; ports: readonly PortSpec[] }[],
): string[] {
  const byCidr = new Map<string, PortSpec[]>();
  for (const { cidr, ports } of entries) {
    const key = withLength(cidr);
    byCidr.set(key, [...(byCidr.get(key) ?? []), ...ports]);
  }
  const merged = [...byCidr].map(([cidr, ports]) => ({
    cidr,
    len: Number(cidr.split('/')[1]),
    spans: portSpans(ports),
  }));
  return merged.flatMap(({ cidr, len, spans }) => {
    const address = cidr.split('/')[0]!;
    const wider: PortSpan[] = merged
      .filter((other) => other.len < len && inCidr(address, other.cidr))
      .flatMap((other) => other.spans);
    const shown = cidr.endsWith('/32') ? address : cidr;
    return subtractSpans(spans, portSpans(wider)).map((s) => `${shown} . ${portText(spanSpec(s))}`);
  });
}

function withLength(cidr: string): string {
  return cidr.includes('/') ? cidr : `${cidr}/32`;
}
