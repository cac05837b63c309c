import { describe, expect, it } from 'vitest';
import {
  accountFromPasswd,
  DEFAULT_AGENT_ACCOUNT,
  execEnvironment,
  exitCodeFromFailure,
  fallbackAccount,
} from '../../../src/incus/exec-env.js';

const passwd = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'code:x:1000:1000::/home/code:/bin/bash',
  'odd:x:1001:1001:::',
  'broken line',
  '',
].join('\n');

describe('accountFromPasswd', () => {
  it('finds the account of a uid', () => {
    expect(accountFromPasswd(passwd, 1000)).toEqual({
      name: 'code',
      home: '/home/code',
      shell: '/bin/bash',
    });
  });

  it('matches the uid field exactly, not a prefix or the gid', () => {
    expect(accountFromPasswd(passwd, 100)).toBeUndefined();
    expect(accountFromPasswd('x:x:5:1000::/h:/bin/sh', 1000)).toBeUndefined();
  });

  it('fills an empty home and shell with / and /bin/sh', () => {
    expect(accountFromPasswd(passwd, 1001)).toEqual({ name: 'odd', home: '/', shell: '/bin/sh' });
  });

  it('tolerates CRLF line endings', () => {
    expect(accountFromPasswd('code:x:1000:1000::/home/code:/bin/zsh\r\n', 1000)?.shell).toBe(
      '/bin/zsh',
    );
  });
});

describe('fallbackAccount', () => {
  it('is the agent account for uid 1000', () => {
    expect(fallbackAccount(1000)).toEqual(DEFAULT_AGENT_ACCOUNT);
  });

  it('is a bare account for other uids', () => {
    expect(fallbackAccount(4242)).toEqual({ name: '4242', home: '/', shell: '/bin/sh' });
  });
});

describe('execEnvironment', () => {
  const account = { name: 'code', home: '/home/code', shell: '/bin/bash' };

  it('sets the login variables for an account', () => {
    expect(execEnvironment(undefined, account)).toEqual({
      HOME: '/home/code',
      USER: 'code',
      LOGNAME: 'code',
      SHELL: '/bin/bash',
    });
  });

  it('lets the caller override login and extra variables', () => {
    const env = execEnvironment({ HOME: '/work', TERM: 'dumb' }, account, {
      TERM: 'xterm-256color',
    });
    expect(env.HOME).toBe('/work');
    expect(env.TERM).toBe('dumb');
    expect(env.USER).toBe('code');
  });

  it('adds nothing for root (Incus sets HOME and USER itself)', () => {
    expect(execEnvironment({ A: 'b' }, undefined)).toEqual({ A: 'b' });
  });
});

describe('exitCodeFromFailure', () => {
  it('maps the daemon messages to shell exit codes', () => {
    expect(exitCodeFromFailure('Command not found')).toBe(127);
    expect(exitCodeFromFailure('Command not executable')).toBe(126);
    expect(exitCodeFromFailure('Instance is not running')).toBeUndefined();
  });
});
