import { randomInt } from 'node:crypto';
import { exchangeUdp, type Upstream } from './upstream.js';
import { encodeQuery, parseMessage, type Message } from './wire.js';

/** What upstream answered for a name's A records, and for how long it may be kept. */
export interface AReply {
  /** None for NXDOMAIN, no A record, or an error rcode. */
  addresses: string[];
  /** Seconds the reply may be kept (0: not at all); absent: a negative answer without a SOA. */
  ttl?: number;
  /** NXDOMAIN or no A record. */
  negative: boolean;
}

/** What `upstream` answers for `name`'s A records. */
export async function lookupA(
  upstream: Upstream,
  name: string,
  timeoutMs: number,
): Promise<AReply> {
  const query = encodeQuery(randomInt(0x10000), { type: 'A', name });
  return replyOf(parseMessage(await exchangeUdp(upstream, query, timeoutMs)));
}

/**
 * The addresses of `message` with the smallest TTL of its answer chain (a CNAME's counts too). A
 * negative answer (RFC 2308) lasts as long as its SOA says — the smaller of the record's TTL and
 * its `minimum` — and says nothing without one; a SERVFAIL, REFUSED, … is not kept.
 */
export function replyOf(message: Message): AReply {
  const addresses = message.answers.flatMap((a) => (a.type === 'A' ? [a.data] : []));
  if (addresses.length > 0) {
    const ttls = message.answers.map((a) => (a.type === 'OPT' ? Infinity : (a.ttl ?? 0)));
    return { addresses, ttl: Math.min(...ttls), negative: false };
  }
  if (message.rcode !== 'NOERROR' && message.rcode !== 'NXDOMAIN')
    return { addresses, ttl: 0, negative: false };
  const soa = (message.authorities ?? []).find((a) => a.type === 'SOA');
  if (soa?.type !== 'SOA') return { addresses, negative: true };
  return { addresses, ttl: Math.min(soa.ttl ?? 0, soa.data.minimum ?? 0), negative: true };
}
