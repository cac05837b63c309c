import { describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/run-main.js';

/** `coi shell` without a terminal: a bad flag is reported first, not the missing terminal. */
describe('shell and run flags are validated before anything else', () => {
  it.each([
    [['shell', '--slot', 'abc'], 'invalid slot "abc"'],
    [['shell', '--slot', '0'], 'invalid slot "0"'],
    [['shell', '--slot', '11'], 'invalid slot "11"'],
    [['shell', '--network', 'wide'], 'invalid network "wide" (use restricted, allowlist or open)'],
    [
      ['shell', '--tool', 'vim'],
      'invalid tool "vim" (use claude, codex, opencode, pi, omp or aider)',
    ],
    [['shell', '-e', 'NOVALUE'], 'invalid env "NOVALUE"'],
    [['shell', '--resume', '../x'], '--resume: "../x" is not a session id'],
    [['run', '--slot', '0', 'true'], 'invalid slot "0"'],
    [['run', '-e', '=x', 'true'], 'invalid env "=x"'],
  ])('coi %j', async (args, message) => {
    const r = await runMain(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('terminal');
  });
});
