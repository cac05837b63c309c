import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../../src/security/audit/writer.js';
import {
  ALLOWED_AUDIT_WINDOW_MS,
  AllowedConnectionAudit,
  DECISION_TITLES,
  isDecisionRecord,
} from '../../../../src/security/monitor/network-audit.js';
import type { NetworkDecision } from '../../../../src/security/monitor/network-tail.js';

const allowedTo = (name: string): NetworkDecision => ({
  time: 0,
  source: 'proxy',
  verdict: 'allowed',
  name,
  address: '192.0.2.7',
  port: 443,
  reason: 'SNI on the allowlist',
});

function bed() {
  const written: AuditEntry[] = [];
  let now = 1_000_000;
  const audit = new AllowedConnectionAudit(
    async (entry) => void written.push(entry),
    () => now,
  );
  const allow = (container: string, name: string) =>
    audit.allowed({ container, workspace: '/w', ip: '10.0.0.5', decision: allowedTo(name) });
  return { written, allow, advance: (ms: number) => (now += ms) };
}

describe('AllowedConnectionAudit', () => {
  it('writes an allowed connection as an info record with its network evidence', async () => {
    const { written, allow } = bed();
    await allow('coi-a-1', 'api.github.com');
    expect(written).toEqual([
      expect.objectContaining({
        container: 'coi-a-1',
        workspace: '/w',
        level: 'info',
        category: 'network',
        title: DECISION_TITLES.proxyAllowed,
        action: 'logged',
        evidence: {
          network: {
            container_ip: '10.0.0.5',
            protocol: 'tcp',
            src_ip: '10.0.0.5',
            dst_ip: '192.0.2.7',
            dst_port: 443,
            reason: 'SNI on the allowlist',
          },
        },
      }),
    ]);
    expect(written[0]!.description).toContain('"api.github.com"');
  });

  it('writes a name once per container per minute, however many requests use it', async () => {
    const { written, allow, advance } = bed();
    for (let i = 0; i < 50; i++) await allow('coi-a-1', 'api.github.com');
    await allow('coi-a-1', 'registry.npmjs.org');
    await allow('coi-b-1', 'api.github.com');
    const named = (e: AuditEntry) => `${e.container} ${/"([^"]+)"/.exec(e.description)?.[1]}`;
    expect(written.map(named)).toEqual([
      'coi-a-1 api.github.com',
      'coi-a-1 registry.npmjs.org',
      'coi-b-1 api.github.com',
    ]);
    advance(ALLOWED_AUDIT_WINDOW_MS - 1);
    await allow('coi-a-1', 'api.github.com');
    expect(written).toHaveLength(3);
    advance(1);
    await allow('coi-a-1', 'api.github.com');
    expect(written).toHaveLength(4);
  });

  it('tells decision records from alerts by their title', () => {
    expect(isDecisionRecord(DECISION_TITLES.nameBlocked)).toBe(true);
    expect(isDecisionRecord('Reverse shell detected')).toBe(false);
  });
});
