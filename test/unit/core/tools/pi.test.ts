import { describe, expect, it } from 'vitest';
import { omp, pi } from '../../../../src/core/tools/pi.js';

describe('pi and omp adapters', () => {
  it('keep their state and system prompt append under their own directory', () => {
    expect(pi.stateDir).toBe('.pi/agent');
    expect(omp.stateDir).toBe('.omp/agent');
    const [file] = omp.homeFiles({ context: 'ctx', permissionMode: 'bypass' }, () => undefined);
    expect(file?.path).toBe('.omp/agent/APPEND_SYSTEM.md');
    expect(file?.content).toContain('ctx');
  });

  it('continue the newest session or open a given one', () => {
    expect(omp.command('omp', { permissionMode: 'bypass', resume: { kind: 'latest' } })).toEqual([
      'omp',
      '--continue',
    ]);
    expect(omp.command('omp', { permissionMode: 'bypass' })).toEqual(['omp']);
  });
});
