import { describe, expect, it } from 'vitest';
import { parseAllowlist } from '../../../../src/security/nft/index.js';
import { decide } from '../../../../src/security/proxy/decide.js';
import { refusalAlert } from '../../../../src/security/proxy/alerts.js';

const { domains } = parseAllowlist(['allowed.test', '*.wild.test', 'tls-only.test:443']);

describe('egress proxy verdict by the name on the wire', () => {
  it('lets listed names through, exact or by wildcard, on their ports', () => {
    expect(decide(domains, { protocol: 'tls', name: 'allowed.test', port: 443 }, 'refuse')).toEqual(
      {
        allow: true,
      },
    );
    expect(decide(domains, { protocol: 'http', name: 'a.wild.test', port: 80 }, 'refuse')).toEqual({
      allow: true,
    });
    expect(
      decide(domains, { protocol: 'tls', name: 'tls-only.test', port: 443 }, 'refuse'),
    ).toEqual({ allow: true });
  });

  it('refuses other names, and listed names on ports they are not listed for', () => {
    expect(decide(domains, { protocol: 'tls', name: 'other.test', port: 443 }, 'allow')).toEqual({
      allow: false,
      kind: 'name-not-allowed',
      reason: 'SNI "other.test" is not on the allowlist',
    });
    expect(
      decide(domains, { protocol: 'http', name: 'wild.test', port: 80 }, 'refuse'),
    ).toMatchObject({
      allow: false,
      reason: 'Host "wild.test" is not on the allowlist',
    });
    expect(
      decide(domains, { protocol: 'http', name: 'tls-only.test', port: 80 }, 'refuse'),
    ).toMatchObject({ allow: false, reason: 'Host "tls-only.test" is not allowed on port 80' });
  });

  it('follows no_sni for connections that name no host', () => {
    const request = { protocol: 'tls', name: undefined, port: 443 } as const;
    expect(decide(domains, request, 'refuse')).toEqual({
      allow: false,
      kind: 'no-name',
      reason: 'no SNI (network.proxy.no_sni = "refuse")',
    });
    expect(decide(domains, request, 'allow')).toEqual({ allow: true });
  });

  it('raises a HIGH alert for a name not on the allowlist, a warning for none', () => {
    const refusal = (name: string | undefined) => {
      const request = { protocol: 'tls' as const, name, port: 443 };
      const verdict = decide(domains, request, 'refuse');
      if (verdict.allow) throw new Error('allowed');
      return {
        container: 'coi-a-1',
        ip: '10.0.0.5',
        sourcePort: 5555,
        address: '10.0.0.1',
        request,
        verdict,
      };
    };
    expect(refusalAlert(refusal('other.test'))).toMatchObject({
      level: 'high',
      category: 'network',
      title: 'Connection to an allowed address for a name not on the allowlist',
      evidence: {
        network: {
          dst_ip: '10.0.0.1',
          dst_port: 443,
          reason: 'SNI "other.test" is not on the allowlist',
        },
      },
    });
    expect(refusalAlert(refusal(undefined))).toMatchObject({ level: 'warning' });
  });

  it("alerts on an inject_in_open container's blocked destination by what it asked for", () => {
    const alert = refusalAlert({
      container: 'coi-o-1',
      ip: '10.0.0.5',
      sourcePort: 40000,
      address: '',
      request: { protocol: 'tls', name: 'lan.test', port: 443 },
      verdict: { allow: false, kind: 'blocked', reason: '"lan.test" resolves to 192.168.1.5' },
      anyName: true,
    });
    expect(alert).toMatchObject({
      level: 'warning',
      title: 'Egress proxy refused a destination the network mode blocks',
      description:
        'Container coi-o-1 asked the egress proxy for lan.test on port 443 (inject_in_open), but "lan.test" resolves to 192.168.1.5; the proxy refused it',
    });
  });
});
