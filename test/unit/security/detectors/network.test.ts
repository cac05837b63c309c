import { describe, expect, it } from 'vitest';
import {
  classifyNetworkEvent,
  DnsVolumeDetector,
} from '../../../../src/security/detectors/network.js';
import type { LogKind } from '../../../../src/security/nft/log-prefix.js';
import { parseNftLog, type NftLogEvent } from '../../../../src/security/sources/kmsg-parse.js';

function event(kind: LogKind, dst: string, dpt: number, proto = 'TCP'): NftLogEvent {
  const line = `coi:${kind}:10.99.0.5 IN=incusbr0 OUT=eth0 SRC=10.99.0.5 DST=${dst} LEN=60 PROTO=${proto} SPT=40000 DPT=${dpt} SYN`;
  return parseNftLog(line)!;
}

describe('network classifier', () => {
  it.each([
    ['meta', '169.254.169.254', 80, 'critical', 'Metadata endpoint access'],
    ['port', '10.99.0.1', 4444, 'critical', 'Connection to suspicious port'],
    ['priv', '192.168.1.10', 22, 'high', 'Connection to private network'],
    ['deny', '93.184.216.34', 443, 'high', 'Unauthorized connection attempt'],
    ['dns', '8.8.8.8', 53, 'warning', 'DNS query to non-standard server'],
  ] as const)('%s → %s', (kind, dst, dpt, level, title) => {
    const alert = classifyNetworkEvent(event(kind, dst, dpt));
    expect(alert).toMatchObject({ level, title, category: 'network' });
    expect(alert?.evidence).toEqual({
      network: {
        container_ip: '10.99.0.5',
        protocol: 'tcp',
        src_ip: '10.99.0.5',
        dst_ip: dst,
        src_port: 40000,
        dst_port: dpt,
        reason: expect.any(String),
      },
    });
    expect(alert?.description).toContain(`${dst}:${dpt}`);
  });

  it('raises nothing for plain connection and resolver lines', () => {
    expect(classifyNetworkEvent(event('conn', '1.1.1.1', 443))).toBeUndefined();
    expect(classifyNetworkEvent(event('dnsq', '10.99.0.1', 53, 'UDP'))).toBeUndefined();
  });

  it('alerts once when a container crosses the DNS volume threshold within a minute', () => {
    const detector = new DnsVolumeDetector(() => 100);
    const q = event('dnsq', '10.99.0.1', 53, 'UDP');
    const alerts = [];
    for (let i = 0; i < 150; i += 1) alerts.push(detector.observe(q, 1_000_000 + i * 100));
    const raised = alerts.filter(Boolean);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ level: 'warning', title: 'High DNS query volume' });
    expect(alerts.indexOf(raised[0])).toBe(100);
  });

  it("holds each container to its own threshold (0: off), by the querying container's address", () => {
    const thresholds: Record<string, number> = { '10.99.0.5': 10, '10.99.0.6': 0 };
    const detector = new DnsVolumeDetector((ip) => thresholds[ip] ?? 100);
    const count = (src: string) => {
      const q = { ...event('dnsq', '10.99.0.1', 53, 'UDP'), containerIp: src };
      let raised = 0;
      for (let i = 0; i < 50; i += 1) if (detector.observe(q, 1_000_000 + i * 100)) raised += 1;
      return raised;
    };
    expect([count('10.99.0.5'), count('10.99.0.6'), count('10.99.0.7')]).toEqual([1, 0, 0]);
  });

  it('does not count queries spread over more than a minute', () => {
    const detector = new DnsVolumeDetector(() => 100);
    const q = event('dnsq', '10.99.0.1', 53, 'UDP');
    for (let i = 0; i < 300; i += 1) expect(detector.observe(q, i * 1000)).toBeUndefined();
  });
});
