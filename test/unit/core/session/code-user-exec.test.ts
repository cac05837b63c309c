import { describe, expect, it } from 'vitest';
import { codeUserExec } from '../../../../src/core/session/code-user-exec.js';

describe('codeUserExec', () => {
  const user = { uid: 1500, name: 'code', home: '/home/code' };

  it('starts as root and becomes the user with its groups', () => {
    const { argv, options } = codeUserExec(user, ['tmux', 'new-session']);
    expect(argv).toEqual([
      'setpriv',
      '--reuid=1500',
      '--regid=1500',
      '--init-groups',
      '--',
      'tmux',
      'new-session',
    ]);
    expect(options.user).toBeUndefined();
    expect(options.group).toBeUndefined();
  });

  it("sets the user's login variables, under the caller's", () => {
    const { options } = codeUserExec(user, ['true'], {
      cwd: '/workspace',
      environment: { SHELL: '/bin/zsh', TOKEN: 't' },
    });
    expect(options).toEqual({
      cwd: '/workspace',
      environment: {
        HOME: '/home/code',
        USER: 'code',
        LOGNAME: 'code',
        SHELL: '/bin/zsh',
        TOKEN: 't',
      },
    });
  });
});
