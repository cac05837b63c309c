import { describe, expect, it } from 'vitest';
import { runMain } from '../../../helpers/run-main.js';

describe('coi update', () => {
  it('answers a word that is neither core nor patterns as an unknown command (exit 2)', async () => {
    const typo = await runMain(['update', 'cor']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("error: unknown command 'cor'\n(Did you mean core?)");
    const other = await runMain(['update', 'everything']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("error: unknown command 'everything'");
    expect(other.stdout).toBe('');
  });
});
