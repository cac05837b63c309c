import type { Socket as UdpSocket } from 'node:dgram';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lookupA } from '../../../../src/security/dns/lookup-a.js';
import { NameCache, type NameCacheOptions } from '../../../../src/security/dns/name-cache.js';
import { parseMessage } from '../../../../src/security/dns/wire.js';
import { startFakeUpstream } from '../../../helpers/proxy-bed.js';

/** The cache in front of a stand-in of the host's resolver, which counts what it is asked. */

const TTL: Record<string, number> = { 'short.test': 10, 'zero.test': 0, 'long.test': 86_400 };
let upstream: UdpSocket;
let asked: string[] = [];
let nowMs = 0;

beforeAll(async () => {
  upstream = await startFakeUpstream('203.0.113.9', undefined, (name) => TTL[name] ?? 60);
  upstream.on('message', (query) => asked.push(parseMessage(query).questions[0]!.name));
});
afterAll(() => upstream.close());
beforeEach(() => {
  asked = [];
  nowMs = 1_000_000;
});

function cache(opts: Partial<NameCacheOptions> = {}): NameCache {
  const { port } = upstream.address();
  return new NameCache({
    query: (name) => lookupA({ address: '127.0.0.1', port }, name, 1000),
    now: () => nowMs,
    ...opts,
  });
}

describe('NameCache', () => {
  it('answers a name again within its TTL without asking, and asks once it has passed', async () => {
    const names = cache();
    expect(await names.addresses('short.test')).toEqual(['203.0.113.9']);
    nowMs += 9_999;
    expect(await names.addresses('SHORT.test.')).toEqual(['203.0.113.9']);
    expect(asked).toEqual(['short.test']);
    nowMs += 1;
    await names.addresses('short.test');
    expect(asked).toEqual(['short.test', 'short.test']);
  });

  it('keeps nothing with TTL 0 and nothing past the cap', async () => {
    const names = cache({ maxTtl: 300 });
    await names.addresses('zero.test');
    await names.addresses('zero.test');
    await names.addresses('long.test');
    nowMs += 299_000;
    await names.addresses('long.test');
    expect(asked).toEqual(['zero.test', 'zero.test', 'long.test']);
    nowMs += 1_000;
    await names.addresses('long.test');
    expect(asked).toEqual(['zero.test', 'zero.test', 'long.test', 'long.test']);
  });

  it('sends one query for concurrent lookups of a name', async () => {
    const names = cache();
    const answers = await Promise.all([1, 2, 3, 4].map(() => names.addresses('a.test')));
    expect(answers).toEqual(Array(4).fill(['203.0.113.9']));
    expect(asked).toEqual(['a.test']);
  });

  it('keeps NXDOMAIN briefly', async () => {
    const names = cache({ negativeTtl: 5 });
    expect(await names.addresses('missing.example')).toEqual([]);
    nowMs += 4_999;
    expect(await names.addresses('missing.example')).toEqual([]);
    expect(asked).toEqual(['missing.example']);
    nowMs += 1;
    await names.addresses('missing.example');
    expect(asked).toEqual(['missing.example', 'missing.example']);
  });

  it('keeps at most maxEntries names, dropping the least recently used', async () => {
    const names = cache({ maxEntries: 2 });
    for (const name of ['a.test', 'b.test', 'a.test', 'c.test']) await names.addresses(name);
    expect(asked).toEqual(['a.test', 'b.test', 'c.test']);
    await names.addresses('a.test');
    await names.addresses('b.test');
    expect(asked).toEqual(['a.test', 'b.test', 'c.test', 'b.test']);
  });

  it('keeps no failed query, and the next lookup asks again', async () => {
    let calls = 0;
    const names = new NameCache({
      query: async () => {
        calls += 1;
        if (calls === 1) throw new Error('no answer');
        return { addresses: ['198.51.100.1'], ttl: 60, negative: false };
      },
    });
    await expect(names.addresses('x.test')).rejects.toThrow('no answer');
    expect(await names.addresses('x.test')).toEqual(['198.51.100.1']);
    expect(await names.addresses('x.test')).toEqual(['198.51.100.1']);
    expect(calls).toBe(2);
  });
});
