import { randomInt } from 'node:crypto';
import { exchangeUdp, type Upstream } from './upstream.js';
import { encodeQuery, parseMessage } from './wire.js';

/** The IPv4 addresses `upstream` answers for `name` (none for NXDOMAIN or no A record). */
export async function lookupA(
  upstream: Upstream,
  name: string,
  timeoutMs: number,
): Promise<string[]> {
  const reply = parseMessage(
    await exchangeUdp(upstream, encodeQuery(randomInt(0x10000), { type: 'A', name }), timeoutMs),
  );
  return reply.answers.flatMap((a) => (a.type === 'A' ? [a.data] : []));
}
