import { describe, expect, it } from 'vitest';
import {
  connectivityVerdict,
  restrictionVerdict,
} from '../../../../src/core/health/probe-checks.js';

describe('probe verdicts', () => {
  it('connectivity is the gateway answering the probe', () => {
    const at = { ip: '10.99.0.254', gatewayIp: '10.99.0.1' };
    expect(connectivityVerdict({ ...at, gateway: 'ok' }).status).toBe('ok');
    expect(connectivityVerdict({ ...at, gateway: 'unreachable' })).toEqual({
      status: 'failed',
      message: 'a probe container at 10.99.0.254 cannot reach the gateway 10.99.0.1',
    });
  });

  it('the restriction holds only when coi refused the connection', () => {
    const tried = {
      kind: 'private' as const,
      why: 'private networks are blocked',
      address: '10.99.0.253',
    };
    expect(restrictionVerdict({ tried, target: 'refused', detail: '' })).toMatchObject({
      status: 'ok',
      message: 'a probe container was refused 10.99.0.253 (private networks are blocked)',
    });
    for (const target of ['unreachable', 'timeout', 'connected'] as const)
      expect(restrictionVerdict({ tried, target, detail: 'No route to host' })).toMatchObject({
        status: 'failed',
        details: { target: '10.99.0.253', outcome: target, detail: 'No route to host' },
      });
    expect(
      restrictionVerdict({ tried: { none: 'open mode: nothing is restricted' }, detail: '' }),
    ).toEqual({
      status: 'warning',
      message: 'nothing to verify: open mode: nothing is restricted',
    });
  });
});
