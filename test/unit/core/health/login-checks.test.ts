import { describe, expect, it } from 'vitest';
import { loginVerdict } from '../../../../src/core/health/login-checks.js';

const claude = { tool: 'claude', expected: ['~/.claude/.credentials.json'] };

describe('agent login verdict', () => {
  it('is ok when the login file is there or a key is forwarded', () => {
    expect(
      loginVerdict({ ...claude, found: ['~/.claude/.credentials.json'], forwarded: [] }, 'x')
        .message,
    ).toBe('claude: logged in (~/.claude/.credentials.json)');
    expect(
      loginVerdict({ ...claude, found: [], forwarded: ['ANTHROPIC_API_KEY'] }, 'x').message,
    ).toBe('claude: key forwarded from the environment (ANTHROPIC_API_KEY)');
  });

  it('warns with the file it looked for and how to log in', () => {
    expect(loginVerdict({ ...claude, found: [], forwarded: [] }, 'run `claude`')).toEqual({
      status: 'warning',
      message: 'claude: not logged in on this host (~/.claude/.credentials.json missing)',
      details: {
        tool: 'claude',
        files: ['~/.claude/.credentials.json'],
        login: 'run `claude`',
      },
    });
  });
});
