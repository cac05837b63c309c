import { describe, expect, it } from 'vitest';
import {
  DnsTunnelDetector,
  parentDomain,
  scoreQueryName,
  shannonEntropy,
} from '../../../../src/security/detectors/dns-tunnel.js';

const BENIGN = [
  'github.com',
  'api.github.com',
  'objects.githubusercontent.com',
  'registry.npmjs.org',
  'files.pythonhosted.org',
  'd3c33hcgiwev3.cloudfront.net',
  'ec2-54-12-34-56.compute-1.amazonaws.com',
  'my-loadbalancer-1234567890.us-west-2.elb.amazonaws.com',
  'production-eu-west-1.storage.example.co.uk',
  '_http._tcp.deb.debian.org',
  'statsig.anthropic.com',
  'storage.googleapis.com',
];

/** What iodine/dnscat2-style tools send: encoded payload in long, random labels. */
const TUNNEL = [
  'mfrggzdfmztwq2lknnwg23tpobyxe43uov3ho6dzpjqwey3emvtgo2djnjvwy.t.evil.example',
  '4d7956c1a3e8b2f09c4e1d2a7b3f8e6c.evil.example',
  'a1b2c3d4e5f60718293a4b5c6d7e8f90.x.evil.example',
  `${'ab'.repeat(20)}.${'cd'.repeat(20)}.${'ef'.repeat(20)}.evil.example`,
];

describe('DNS query name scoring', () => {
  it.each(BENIGN)('finds nothing odd in %s', (name) => {
    expect(scoreQueryName(name)).toEqual([]);
  });

  it.each(TUNNEL)('finds %s encoded-looking', (name) => {
    expect(scoreQueryName(name).length).toBeGreaterThan(0);
  });

  it('computes Shannon entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy('0123456789abcdef')).toBe(4);
  });

  it('groups names by parent domain', () => {
    expect(parentDomain('a.b.evil.example.')).toBe('evil.example');
    expect(parentDomain('x.y.example.co.uk')).toBe('example.co.uk');
  });
});

describe('DNS tunnel detector', () => {
  it('warns once for an odd name, then suspects tunnelling after many under one domain', () => {
    const detector = new DnsTunnelDetector();
    const alerts = [];
    for (let i = 0; i < 20; i += 1) {
      const label = Buffer.from(`chunk-${i}-${'secret data '.repeat(2)}`)
        .toString('hex')
        .slice(0, 40);
      alerts.push(...detector.observe(`${label}.t.evil.example`, 1_000 + i * 500));
    }
    expect(alerts.map((a) => [a.level, a.title])).toEqual([
      ['warning', 'Suspicious DNS query'],
      ['high', 'Possible DNS tunnelling'],
    ]);
    expect(alerts[1]?.evidence).toMatchObject({ dns: { domain: 'evil.example', count: 11 } });
  });

  it('warns on query volume to one domain even with ordinary names', () => {
    const detector = new DnsTunnelDetector();
    const alerts = [];
    for (let i = 0; i < 150; i += 1)
      alerts.push(...detector.observe(`host${i}.example.com`, i * 100));
    expect(alerts.map((a) => a.title)).toEqual(['High DNS query volume']);
  });

  it('stays quiet for ordinary traffic', () => {
    const detector = new DnsTunnelDetector();
    const alerts = BENIGN.flatMap((name, i) => detector.observe(name, i * 1000));
    expect(alerts).toEqual([]);
  });
});
