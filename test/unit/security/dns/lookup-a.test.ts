import { encode, type Answer } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { replyOf } from '../../../../src/security/dns/lookup-a.js';
import { parseMessage } from '../../../../src/security/dns/wire.js';

const QUESTION = { type: 'A' as const, name: 'www.example.com' };
const SOA: Answer = {
  type: 'SOA',
  name: 'example.com',
  ttl: 900,
  data: {
    mname: 'ns.example.com',
    rname: 'admin.example.com',
    serial: 1,
    refresh: 3600,
    retry: 600,
    expire: 86_400,
    minimum: 30,
  },
};

/** A reply as a resolver sends it, read back as lookupA reads it. */
function reply(rcode: number, answers: Answer[], authorities: Answer[] = []) {
  const flags = 0x8180 | rcode;
  return parseMessage(
    encode({ id: 1, type: 'response', flags, questions: [QUESTION], answers, authorities }),
  );
}

describe('replyOf', () => {
  it('gives the addresses with the smallest TTL of the chain, a CNAME included', () => {
    const cname: Answer = { type: 'CNAME', name: QUESTION.name, ttl: 40, data: 'cdn.example.net' };
    const a = (data: string, ttl: number): Answer => ({
      type: 'A',
      name: 'cdn.example.net',
      ttl,
      data,
    });
    expect(replyOf(reply(0, [cname, a('192.0.2.1', 300), a('192.0.2.2', 120)]))).toEqual({
      addresses: ['192.0.2.1', '192.0.2.2'],
      ttl: 40,
      negative: false,
    });
  });

  it('gives a negative answer the smaller of its SOA TTL and minimum, and none without a SOA', () => {
    expect(replyOf(reply(3, [], [SOA]))).toEqual({ addresses: [], ttl: 30, negative: true });
    expect(replyOf(reply(0, [], [{ ...SOA, ttl: 10 }]))).toEqual({
      addresses: [],
      ttl: 10,
      negative: true,
    });
    expect(replyOf(reply(3, []))).toEqual({ addresses: [], negative: true });
  });

  it('keeps no SERVFAIL', () => {
    expect(replyOf(reply(2, [], [SOA]))).toEqual({ addresses: [], ttl: 0, negative: false });
  });
});
