import { describe, expect, it } from 'vitest';
import { healthExitCode, report } from '../../../../src/core/health/run.js';

describe('health report', () => {
  it('sums up checks into a status and an exit code', () => {
    const r = report({
      a: { name: 'A', status: 'ok', message: '' },
      b: { name: 'B', status: 'warning', message: '' },
    });
    expect(r.status).toBe('degraded');
    expect(r.summary).toEqual({ total: 2, passed: 1, warnings: 1, failed: 0 });
    expect(healthExitCode('healthy')).toBe(0);
    expect(healthExitCode('degraded')).toBe(1);
    expect(healthExitCode('unhealthy')).toBe(2);
  });
});
