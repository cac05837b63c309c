import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DnsResolver,
  type DnsAlertEvent,
  type DnsDecision,
} from '../../../../src/security/dns/resolver.js';
import { frame, unframe } from '../../../../src/security/dns/upstream.js';
import { encodeQuery, parseMessage, type Message } from '../../../../src/security/dns/wire.js';
import type { LearnedAddress } from '../../../../src/security/nft/index.js';
import { parseAllowlist } from '../../../../src/security/nft/index.js';

/**
 * The resolver on loopback against a small upstream server: what it answers, what it learns (and
 * that it learns before answering), its cache, and TCP. The learn callback records instead of
 * calling nft; the real nft path is covered by test/integration/security/network/allowlist.
 */

const LOCAL = '127.0.0.1';
let upstream: Socket;
let upstreamPort: number;
let upstreamQueries: string[];
let resolver: DnsResolver;
let port: number;
let learned: Array<{ ip: string; learned: LearnedAddress[]; timeoutSec: number; atMs: number }>;
let alerts: DnsAlertEvent[];
let decisions: DnsDecision[];
let nowMs: number;
/** The container the policy names for the loopback address. */
let holder: string;

function startUpstream(ttl: number): Promise<void> {
  upstreamQueries = [];
  upstream = createSocket('udp4');
  upstream.on('message', (query, peer) => {
    const q = parseMessage(query).questions[0]!;
    upstreamQueries.push(q.name);
    const reply = Buffer.from(encodeQuery(query.readUInt16BE(0), q));
    reply.writeUInt16BE(0x8180, 2);
    reply.writeUInt16BE(1, 6);
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(1, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(ttl, 6);
    rr.writeUInt16BE(4, 10);
    Buffer.from([203, 0, 113, 7]).copy(rr, 12);
    upstream.send(Buffer.concat([reply, rr]), peer.port, peer.address);
  });
  return new Promise((resolve) =>
    upstream.bind(0, LOCAL, () => {
      upstreamPort = upstream.address().port;
      resolve();
    }),
  );
}

/** The A records of a message as [address, TTL]. */
const aRecords = (message: Message) =>
  message.answers.flatMap((a) => (a.type === 'A' ? [[a.data, a.ttl]] : []));

async function ask(name: string): Promise<{ message: Message; atMs: number }> {
  const client = createSocket('udp4');
  try {
    const reply = await new Promise<Buffer>((resolve, reject) => {
      client.once('message', resolve);
      client.once('error', reject);
      client.send(encodeQuery(0x4242, { name, type: 'A', class: 'IN' }), port, LOCAL);
    });
    return { message: parseMessage(reply), atMs: performance.now() };
  } finally {
    client.close();
  }
}

beforeEach(async () => {
  await startUpstream(60);
  learned = [];
  alerts = [];
  decisions = [];
  nowMs = 1_000_000;
  holder = 'coi-a-1';
  const { domains } = parseAllowlist(['allowed.test', '*.wild.test', 'api.ports.test:443']);
  resolver = new DnsResolver({
    listen: { address: LOCAL, port: 0 },
    upstream: { address: LOCAL, port: upstreamPort },
    policyOf: (ip) => (ip === LOCAL ? { container: holder, domains } : undefined),
    learn: async (ip, addresses, timeoutSec) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      learned.push({ ip, learned: addresses, timeoutSec, atMs: performance.now() });
    },
    onAlert: (event) => alerts.push(event),
    onDecision: (decision) => decisions.push(decision),
    upstreamTimeoutMs: 300,
    now: () => nowMs,
  });
  await resolver.start();
  port = resolver.address().port;
});

afterEach(async () => {
  await resolver.stop();
  upstream.close();
});

describe('coi DNS resolver', () => {
  it('counts tunnelling per container: one that takes over an address starts from nothing', async () => {
    const tunnel = async () => {
      for (let i = 0; i < 11; i++) await ask(`${'a1b2c3d4e5f6a7b8c9d0e1f2'}${i}x9.exfil.test`);
    };
    const tunnels = () =>
      alerts.filter((a) => a.alert.title === 'Possible DNS tunnelling').map((a) => a.container);
    await tunnel();
    expect(tunnels()).toEqual(['coi-a-1']);
    // coi-a-1 is gone; Incus gave its address to coi-b-1, within the same minute.
    holder = 'coi-b-1';
    await tunnel();
    expect(tunnels()).toEqual(['coi-a-1', 'coi-b-1']);
  });

  it('answers an allowed name after its addresses are learned, for max(TTL, 5 min)', async () => {
    const { message, atMs } = await ask('allowed.test');
    expect(message).toMatchObject({ id: 0x4242, rcode: 'NOERROR' });
    expect(aRecords(message).map(([address]) => address)).toEqual(['203.0.113.7']);
    expect(learned).toEqual([
      {
        ip: LOCAL,
        learned: [{ address: '203.0.113.7' }],
        timeoutSec: 300,
        atMs: expect.any(Number),
      },
    ]);
    expect(learned[0]!.atMs).toBeLessThanOrEqual(atMs);
  });

  it('learns with the ports of the entry and matches wildcards', async () => {
    await ask('api.ports.test');
    await ask('deep.er.wild.test');
    expect(learned.map((l) => l.learned)).toEqual([
      [{ address: '203.0.113.7', ports: [443] }],
      [{ address: '203.0.113.7' }],
    ]);
  });

  it('refuses and alerts an unlisted name without asking upstream', async () => {
    const { message } = await ask('exfil.example');
    expect(message.rcode).toBe('REFUSED');
    expect(upstreamQueries).toEqual([]);
    expect(alerts).toMatchObject([
      {
        container: 'coi-a-1',
        ip: LOCAL,
        alert: { level: 'warning', evidence: { dns: { query: 'exfil.example' } } },
      },
    ]);
  });

  it('reports every name asked with its verdict: allowed with its address, refused, unresolved', async () => {
    await ask('allowed.test');
    await ask('exfil.example');
    upstream.close();
    await startUpstreamThatIgnores();
    await ask('api.ports.test');
    expect(decisions).toEqual([
      {
        container: 'coi-a-1',
        ip: LOCAL,
        name: 'allowed.test',
        verdict: 'allowed',
        address: '203.0.113.7',
        reason: 'on the allowlist (A, 1 address(es))',
      },
      {
        container: 'coi-a-1',
        ip: LOCAL,
        name: 'exfil.example',
        verdict: 'refused',
        address: '',
        reason: 'not on the allowlist',
      },
      expect.objectContaining({
        name: 'api.ports.test',
        verdict: 'refused',
        reason: expect.stringMatching(/^not resolved: /),
      }),
    ]);
    expect(resolver.answeredAddresses('allowed.test')).toEqual(['203.0.113.7']);
    expect(resolver.answeredAddresses('exfil.example')).toEqual([]);
  });

  it('serves a fresh cached answer without upstream, and a stale one while upstream is down', async () => {
    await ask('allowed.test');
    nowMs += 30_000;
    const cached = await ask('allowed.test');
    expect(aRecords(cached.message)[0]?.[1]).toBe(30);
    expect(upstreamQueries).toEqual(['allowed.test']);
    upstream.close();
    await startUpstreamThatIgnores();
    nowMs += 120_000;
    const stale = await ask('allowed.test');
    expect(stale.message.rcode).toBe('NOERROR');
    expect(aRecords(stale.message)).toEqual([['203.0.113.7', 30]]);
    expect(learned.at(-1)?.timeoutSec).toBe(300);
  });

  it('answers SERVFAIL when upstream is down and nothing is cached', async () => {
    upstream.close();
    await startUpstreamThatIgnores();
    expect((await ask('allowed.test')).message.rcode).toBe('SERVFAIL');
  });

  it('refreshes cached names on demand (the refresh interval)', async () => {
    await ask('allowed.test');
    await resolver.refresh();
    expect(upstreamQueries).toEqual(['allowed.test', 'allowed.test']);
  });

  it('answers over TCP', async () => {
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect({ host: LOCAL, port }, () =>
        socket.write(frame(encodeQuery(7, { name: 'allowed.test', type: 'A', class: 'IN' }))),
      );
      let data = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        data = Buffer.concat([data, chunk]);
        const message = unframe(data)?.message;
        if (message) {
          socket.end();
          resolve(message);
        }
      });
      socket.on('error', reject);
    });
    expect(parseMessage(reply)).toMatchObject({ id: 7, answers: [{ data: '203.0.113.7' }] });
  });

  it('answers FORMERR to a malformed query', async () => {
    const client = createSocket('udp4');
    const garbage = Buffer.alloc(14, 0xff);
    garbage.writeUInt16BE(0x0101, 0);
    garbage.writeUInt16BE(0x0100, 2);
    const reply = await new Promise<Buffer>((resolve) => {
      client.once('message', resolve);
      client.send(garbage, port, LOCAL);
    });
    client.close();
    expect(parseMessage(reply)).toMatchObject({ id: 0x0101, rcode: 'FORMERR' });
  });
});

async function startUpstreamThatIgnores(): Promise<void> {
  upstream = createSocket('udp4');
  await new Promise<void>((resolve) => upstream.bind(upstreamPort, LOCAL, () => resolve()));
}
