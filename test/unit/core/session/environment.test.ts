import { describe, expect, it } from 'vitest';
import {
  EnvCommandError,
  sanitizeTerm,
  sessionEnvironment,
} from '../../../../src/core/session/environment.js';
import type { ConfigOverrides } from '../../../../src/core/config/index.js';
import { config } from './config.js';

const HOST = {
  TERM: 'xterm-kitty',
  SECRET_TOKEN: 'do-not-leak',
  AWS_SECRET_ACCESS_KEY: 'nope',
  GH_TOKEN: 'forward-me',
  HOME: '/root',
};

function env(
  overrides: ConfigOverrides = {},
  extra: Partial<Parameters<typeof sessionEnvironment>[0]> = {},
) {
  return sessionEnvironment({
    config: config(overrides),
    hostEnv: HOST,
    codeUser: 'code',
    cliEnv: {},
    sshAgent: false,
    timezone: 'Europe/Berlin',
    ...extra,
  });
}

describe('session environment', () => {
  it('carries nothing of the host but a sanitised TERM', async () => {
    const e = await env();
    expect(e).toEqual({
      HOME: '/home/code',
      USER: 'code',
      LOGNAME: 'code',
      SHELL: '/bin/bash',
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      IS_SANDBOX: '1',
      TZ: 'Europe/Berlin',
    });
  });

  it('adds forward_env names that are set, [defaults.environment], then --env last', async () => {
    const e = await env(
      {
        defaults: {
          forward_env: ['GH_TOKEN', 'NOT_SET_ON_HOST'],
          environment: { EDITOR: 'vim', GH_TOKEN: 'overridden-by-forward' },
        },
      },
      { cliEnv: { EDITOR: 'nano' } },
    );
    expect(e.GH_TOKEN).toBe('forward-me');
    expect(e.EDITOR).toBe('nano');
    expect('NOT_SET_ON_HOST' in e).toBe(false);
    expect('SECRET_TOKEN' in e).toBe(false);
  });

  it('runs env_commands on the host and fails clearly when one fails', async () => {
    const e = await env({ defaults: { env_commands: { FROM_CMD: 'printf " value \\n"' } } });
    expect(e.FROM_CMD).toBe('value');
    await expect(env({ defaults: { env_commands: { BAD: 'exit 3' } } })).rejects.toThrow(
      EnvCommandError,
    );
    await expect(env({ defaults: { env_commands: { BAD: 'exit 3' } } })).rejects.toThrow(
      /defaults\.env_commands\.BAD/,
    );
  });

  it('points SSH_AUTH_SOCK and socket variables at their container paths', async () => {
    const e = await env(
      { sockets: [{ host: '/run/a.sock', container: '/run/in.sock', env: 'A_SOCK' }] },
      { sshAgent: true },
    );
    expect(e.SSH_AUTH_SOCK).toBe('/run/ssh-agent.sock');
    expect(e.A_SOCK).toBe('/run/in.sock');
  });

  it('drops a variable set to the empty string', async () => {
    const e = await env({}, { cliEnv: { IS_SANDBOX: '' } });
    expect('IS_SANDBOX' in e).toBe(false);
  });
});

describe('TERM', () => {
  it('keeps terminals the image knows and maps the rest', () => {
    expect(sanitizeTerm('screen-256color')).toBe('screen-256color');
    expect(sanitizeTerm('tmux-256color')).toBe('tmux-256color');
    expect(sanitizeTerm('xterm-kitty')).toBe('xterm-256color');
    expect(sanitizeTerm('foot')).toBe('xterm-256color');
    expect(sanitizeTerm(undefined)).toBe('xterm-256color');
    expect(sanitizeTerm('dumb')).toBe('xterm-256color');
  });

  it('pins the git identity before --env, which still wins', async () => {
    const gitIdentity = { name: 'Jane Doe', email: 'jane@example.com' };
    const e = await env({}, { gitIdentity, cliEnv: { GIT_AUTHOR_NAME: 'From Flag' } });
    expect(e).toMatchObject({
      GIT_AUTHOR_NAME: 'From Flag',
      GIT_COMMITTER_NAME: 'Jane Doe',
      GIT_AUTHOR_EMAIL: 'jane@example.com',
      GIT_COMMITTER_EMAIL: 'jane@example.com',
    });
    expect(Object.keys(await env()).filter((k) => k.startsWith('GIT_'))).toEqual([]);
  });
});
