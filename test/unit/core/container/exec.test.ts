import { describe, expect, it } from 'vitest';
import { parseEnvPairs } from '../../../../src/core/container/exec.js';

describe('exec --env', () => {
  it('parses KEY=VALUE pairs, values may hold "="', () => {
    expect(parseEnvPairs(['A=1', 'B=x=y', 'C='])).toEqual({ A: '1', B: 'x=y', C: '' });
    expect(() => parseEnvPairs(['=1'])).toThrow(/KEY=VALUE/);
    expect(() => parseEnvPairs(['1A=2'])).toThrow(/KEY=VALUE/);
  });
});
