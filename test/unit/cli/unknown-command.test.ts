import { describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/run-main.js';

describe('a mistyped command', () => {
  it('is an unknown command pointing to coi --help, not an argument of shell', async () => {
    const r = await runMain(['nonexistent-command']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'Error: unknown command "nonexistent-command"; run `coi --help` for the commands\n',
    );
  });

  it('suggests the command it is close to, after global flags too', async () => {
    expect((await runMain(['lst'])).stderr).toContain(
      'unknown command "lst" (did you mean "list"?)',
    );
    const r = await runMain(['-w', '/tmp', '--slot', '2', 'shel']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "shel" (did you mean "shell"?)');
  });

  it('as the argument of `coi shell` is an unknown alias', async () => {
    const r = await runMain(['shell', 'nonexistent']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: unknown alias "nonexistent": no container alias/);
  });
});
