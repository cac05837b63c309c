import { encode } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { matchAllowlist } from '../../../../src/security/dns/allowlist-match.js';
import {
  DnsFormatError,
  answerTtlOffsets,
  encodeQuery,
  errorReply,
  parseMessage,
  withId,
  withTtl,
  type Message,
} from '../../../../src/security/dns/wire.js';
import { parseAllowlist } from '../../../../src/security/nft/index.js';

/** An answer as a resolver sends it: the question, then A records with compressed names. */
function answer(id: number, name: string, addresses: string[], ttl: number): Buffer {
  const query = encodeQuery(id, { name, type: 'A', class: 'IN' });
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

/** The A records of a message as [name, address, TTL]. */
const aRecords = (message: Message) =>
  message.answers.flatMap((a) => (a.type === 'A' ? [[a.name, a.data, a.ttl]] : []));

describe('DNS wire format', () => {
  it('reads a query', () => {
    const message = parseMessage(
      encodeQuery(0x1234, { name: 'api.github.com', type: 'A', class: 'IN' }),
    );
    expect(message).toMatchObject({
      id: 0x1234,
      type: 'query',
      opcode: 'QUERY',
      flag_rd: true,
      questions: [{ name: 'api.github.com', type: 'A', class: 'IN' }],
      answers: [],
    });
  });

  it('reads the A records and TTLs of an answer through name compression', () => {
    const message = parseMessage(answer(7, 'example.com', ['10.99.0.5', '203.0.113.9'], 60));
    expect(message.type).toBe('response');
    expect(aRecords(message)).toEqual([
      ['example.com', '10.99.0.5', 60],
      ['example.com', '203.0.113.9', 60],
    ]);
  });

  it('rewrites IDs and TTLs in a copy', () => {
    const original = answer(7, 'example.com', ['10.99.0.5'], 60);
    const copy = withTtl(withId(original, 99), answerTtlOffsets(original), 30);
    expect(parseMessage(copy)).toMatchObject({ id: 99, answers: [{ ttl: 30 }] });
    expect(copy.length).toBe(original.length);
    expect(aRecords(parseMessage(original))).toEqual([['example.com', '10.99.0.5', 60]]);
  });

  it('finds the TTLs behind uncompressed names and other record types', () => {
    const original = encode({
      id: 3,
      type: 'response',
      questions: [{ name: 'www.example.com', type: 'A', class: 'IN' }],
      answers: [
        { name: 'www.example.com', type: 'CNAME', ttl: 300, data: 'cdn.example.net' },
        { name: 'cdn.example.net', type: 'A', ttl: 60, data: '198.51.100.4' },
      ],
    });
    const copy = withTtl(original, answerTtlOffsets(original), 30);
    expect(parseMessage(copy).answers).toMatchObject([
      { type: 'CNAME', ttl: 30, data: 'cdn.example.net' },
      { type: 'A', ttl: 30, data: '198.51.100.4' },
    ]);
  });

  it('builds a refusal that echoes the question', () => {
    const query = encodeQuery(42, { name: 'evil.example', type: 'TXT', class: 'IN' });
    const reply = parseMessage(errorReply(query, 'REFUSED'));
    expect(reply).toMatchObject({
      id: 42,
      type: 'response',
      rcode: 'REFUSED',
      flag_rd: true,
      flag_ra: true,
      questions: [{ name: 'evil.example', type: 'TXT' }],
    });
  });

  it('rejects truncated messages and compression loops', () => {
    expect(() => parseMessage(Buffer.alloc(5))).toThrow(DnsFormatError);
    const loop = Buffer.alloc(14);
    loop.writeUInt16BE(1, 4);
    loop.writeUInt16BE(0xc00c, 12);
    expect(() => parseMessage(loop)).toThrow(DnsFormatError);
    const short = encodeQuery(1, { name: 'a.b', type: 'A', class: 'IN' }).subarray(0, 15);
    expect(() => parseMessage(short)).toThrow(DnsFormatError);
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
