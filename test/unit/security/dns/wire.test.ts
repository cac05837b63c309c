import { describe, expect, it } from 'vitest';
import { matchAllowlist } from '../../../../src/security/dns/allowlist-match.js';
import {
  RCODE,
  encodeQuery,
  errorReply,
  parseMessage,
  withId,
  withTtl,
} from '../../../../src/security/dns/wire.js';
import { parseAllowlist } from '../../../../src/security/nft/index.js';

/** An answer as a resolver sends it: the question, then A records with compressed names. */
function answer(id: number, name: string, addresses: string[], ttl: number): Buffer {
  const query = encodeQuery(id, { name, type: 1, class: 1 });
  query.writeUInt16BE(0x8180, 2);
  query.writeUInt16BE(addresses.length, 6);
  const records = addresses.map((address) => {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(1, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(ttl, 6);
    rr.writeUInt16BE(4, 10);
    address.split('.').forEach((octet, i) => rr.writeUInt8(Number(octet), 12 + i));
    return rr;
  });
  return Buffer.concat([query, ...records]);
}

describe('DNS wire format', () => {
  it('reads a query', () => {
    const message = parseMessage(
      encodeQuery(0x1234, { name: 'api.github.com', type: 1, class: 1 }),
    );
    expect(message).toMatchObject({
      id: 0x1234,
      response: false,
      opcode: 0,
      questions: [{ name: 'api.github.com', type: 1, class: 1 }],
      answers: [],
    });
  });

  it('reads the A records and TTLs of an answer through name compression', () => {
    const message = parseMessage(answer(7, 'example.com', ['10.99.0.5', '203.0.113.9'], 60));
    expect(message.response).toBe(true);
    expect(message.answers.map((a) => [a.name, a.address, a.ttl])).toEqual([
      ['example.com', '10.99.0.5', 60],
      ['example.com', '203.0.113.9', 60],
    ]);
  });

  it('rewrites IDs and TTLs in a copy', () => {
    const original = answer(7, 'example.com', ['10.99.0.5'], 60);
    const parsed = parseMessage(original);
    const copy = withTtl(withId(original, 99), parsed.answers, 30);
    expect(parseMessage(copy)).toMatchObject({ id: 99, answers: [{ ttl: 30 }] });
    expect(parsed.id).toBe(7);
    expect(parseMessage(original).answers[0]?.ttl).toBe(60);
  });

  it('builds a refusal that echoes the question', () => {
    const query = encodeQuery(42, { name: 'evil.example', type: 16, class: 1 });
    const reply = parseMessage(errorReply(query, RCODE.refused));
    expect(reply).toMatchObject({
      id: 42,
      response: true,
      rcode: RCODE.refused,
      questions: [{ name: 'evil.example', type: 16 }],
    });
  });

  it('rejects truncated messages and compression loops', () => {
    expect(() => parseMessage(Buffer.alloc(5))).toThrow(/no header/);
    const loop = Buffer.alloc(14);
    loop.writeUInt16BE(1, 4);
    loop.writeUInt16BE(0xc00c, 12);
    expect(() => parseMessage(loop)).toThrow(/loops/);
    const short = encodeQuery(1, { name: 'a.b', type: 1, class: 1 }).subarray(0, 15);
    expect(() => parseMessage(short)).toThrow(/ends early/);
  });
});

describe('allowlist matching', () => {
  const { domains } = parseAllowlist([
    'github.com',
    '*.githubusercontent.com',
    'api.x.dev:443,8443',
  ]);

  it('matches exact names only exactly, case-insensitively and without the root dot', () => {
    expect(matchAllowlist('GitHub.com.', domains)).toEqual({ ports: [] });
    expect(matchAllowlist('api.github.com', domains)).toBeUndefined();
    expect(matchAllowlist('notgithub.com', domains)).toBeUndefined();
  });

  it('matches a wildcard at any depth below the domain, but not the domain itself', () => {
    expect(matchAllowlist('raw.githubusercontent.com', domains)).toEqual({ ports: [] });
    expect(matchAllowlist('a.b.githubusercontent.com', domains)).toEqual({ ports: [] });
    expect(matchAllowlist('githubusercontent.com', domains)).toBeUndefined();
    expect(matchAllowlist('evilgithubusercontent.com', domains)).toBeUndefined();
  });

  it('carries the ports of the matching entries', () => {
    expect(matchAllowlist('api.x.dev', domains)).toEqual({ ports: [443, 8443] });
  });
});
