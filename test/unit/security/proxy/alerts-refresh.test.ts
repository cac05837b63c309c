import { describe, expect, it } from 'vitest';
import { refreshAlert } from '../../../../src/security/proxy/alerts.js';
import type { InjectedConnection } from '../../../../src/security/proxy/inject/injector.js';

const connection: InjectedConnection = {
  container: 'coi-abc-1',
  ip: '10.0.0.5',
  sourcePort: 40_000,
  name: 'api.anthropic.com',
  address: '160.79.104.10',
  port: 443,
  rule: {
    domain: 'api.anthropic.com',
    header: 'Authorization',
    source: { kind: 'file', path: '/home/u/.claude/.credentials.json', pointer: '/a' },
    format: 'Bearer {}',
  },
};

describe('refreshAlert', () => {
  it('records a renewal as info, and warns of a failed one with its reason', () => {
    expect(refreshAlert(connection, { ok: true })).toMatchObject({
      level: 'info',
      title: 'Host login renewed by the egress proxy',
      evidence: { network: { src_ip: '10.0.0.5', dst_port: 443 } },
    });
    const failed = refreshAlert(connection, {
      ok: false,
      reason: 'answered HTTP 400 (invalid_grant)',
    });
    expect(failed).toMatchObject({ level: 'warning', title: 'Host login could not be renewed' });
    expect(failed.description).toContain('api.anthropic.com (answered HTTP 400 (invalid_grant))');
    expect(failed.description).toContain('went on with the token the host holds');
  });
});
