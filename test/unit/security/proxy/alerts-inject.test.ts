import { describe, expect, it } from 'vitest';
import { injectionAlert } from '../../../../src/security/proxy/alerts.js';
import type { InjectedConnection } from '../../../../src/security/proxy/inject/injector.js';

const connection: InjectedConnection = {
  container: 'coi-abc-1',
  ip: '10.0.0.5',
  sourcePort: 40_000,
  name: 'api.test',
  address: '192.0.2.10',
  port: 443,
  rule: {
    domain: 'api.test',
    header: 'Authorization',
    source: { kind: 'value', value: 'SECRET' },
    format: 'Bearer {}',
  },
};

describe('injectionAlert', () => {
  it('records a request the header was set on, saying so when it was an upgrade', () => {
    const plain = injectionAlert(connection);
    expect(plain).toMatchObject({
      level: 'info',
      title: 'Credential injected by the egress proxy',
    });
    expect(plain.description).toBe(
      'The egress proxy set Authorization for api.test on a request of coi-abc-1 (192.0.2.10:443)',
    );
    const upgrade = injectionAlert(connection, undefined, 'websocket');
    expect(upgrade.description).toBe(
      'The egress proxy set Authorization for api.test on an upgrade request (websocket) of coi-abc-1 (192.0.2.10:443)',
    );
    expect(JSON.stringify(upgrade.evidence)).toContain(
      'injected Authorization for api.test on an upgrade to websocket',
    );
    expect(JSON.stringify([plain, upgrade])).not.toContain('SECRET');
  });
});
