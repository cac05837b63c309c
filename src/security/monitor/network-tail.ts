/** What decided on a packet, a name or a connection of a container. */
export type NetworkSource = 'dns' | 'proxy' | 'nft';

/**
 * `allowed`: let through; `refused`: coi's resolver or proxy said no (a name not on the
 * allowlist, no SNI); `blocked`: the kernel dropped the packet (nft).
 */
export type NetworkVerdict = 'allowed' | 'refused' | 'blocked';

/** One network decision about a container, as the control room's network tail lists it. */
export interface NetworkDecision {
  /** Milliseconds since the epoch. */
  time: number;
  source: NetworkSource;
  verdict: NetworkVerdict;
  /** The DNS name asked for, or the SNI / Host of a connection; '' when there was none. */
  name: string;
  /** The destination address ('' for a refused DNS name, which has none). */
  address: string;
  port?: number;
  reason: string;
}

/** Decisions kept per container; older ones are dropped. */
export const NETWORK_DECISIONS_KEPT = 500;

/** A fixed-size ring: pushing onto a full one overwrites the oldest entry. */
class Ring<T> {
  private readonly items: T[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  newestFirst(): T[] {
    const out: T[] = [];
    const n = this.items.length;
    for (let i = 1; i <= n; i++) out.push(this.items[(this.next - i + n) % n]!);
    return out;
  }
}

/**
 * The monitor daemon's recent network decisions, a bounded ring per container: what the resolver
 * answered or refused, what the egress proxy let through or refused, what nft dropped.
 */
export class NetworkTail {
  private readonly rings = new Map<string, Ring<NetworkDecision>>();

  constructor(private readonly kept = NETWORK_DECISIONS_KEPT) {}

  record(container: string, decision: NetworkDecision): void {
    let ring = this.rings.get(container);
    if (!ring) this.rings.set(container, (ring = new Ring(this.kept)));
    ring.push(decision);
  }

  /** The container's decisions, newest first; empty for one never seen. */
  recent(container: string): NetworkDecision[] {
    return this.rings.get(container)?.newestFirst() ?? [];
  }

  forget(container: string): void {
    this.rings.delete(container);
  }
}
