import { describe, expect, it } from 'vitest';
import { withoutLoginEnv } from '../../../../../src/core/session/launch/login-env.js';

const guard = {
  sentinel: ['CLAUDE_CODE_OAUTH_TOKEN'],
  dropped: ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY'],
};

describe('withoutLoginEnv', () => {
  it('takes every login variable out of the configured environment, saying which in one line', () => {
    const { env, line } = withoutLoginEnv(
      { ANTHROPIC_API_KEY: 'sk-ant-api03-real', CLAUDE_CODE_OAUTH_TOKEN: 'sk-oat-real', FOO: 'x' },
      guard,
    );
    expect(env).toEqual({ FOO: 'x' });
    expect(line).toBe(
      "The session's environment would carry a login (CLAUDE_CODE_OAUTH_TOKEN, ANTHROPIC_API_KEY); " +
        'it goes by the egress proxy, so inside CLAUDE_CODE_OAUTH_TOKEN holds the sentinel and ANTHROPIC_API_KEY is dropped',
    );
  });

  it('names several of a kind together', () => {
    const { line } = withoutLoginEnv(
      { ANTHROPIC_API_KEY: 'k', ANTHROPIC_AUTH_TOKEN: 't' },
      { sentinel: [], dropped: guard.dropped },
    );
    expect(line).toContain('so inside ANTHROPIC_AUTH_TOKEN, ANTHROPIC_API_KEY are dropped');
  });

  it('says nothing when the configuration brings no login variable', () => {
    expect(withoutLoginEnv({ FOO: 'x' }, guard)).toEqual({ env: { FOO: 'x' } });
    expect(withoutLoginEnv({ ANTHROPIC_API_KEY: 'k' }, guard).line).toBe(
      "The session's environment would carry a login (ANTHROPIC_API_KEY); it goes by the egress proxy, so inside ANTHROPIC_API_KEY is dropped",
    );
  });
});
