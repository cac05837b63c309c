import { execEnvironment } from '../../incus/exec-env.js';
import type { ExecOptions } from '../../incus/exec-types.js';

/** The code user a session's commands run as. */
export interface CodeUser {
  uid: number;
  name: string;
  home: string;
}

/**
 * An exec of `argv` as the code user with its groups (docker, …). Incus gives an exec's user no
 * supplementary groups, so `docker` would be refused its socket: the exec starts as root and
 * setpriv becomes the user, groups and all. The login variables are the user's.
 */
export function codeUserExec(
  user: CodeUser,
  argv: string[],
  opts: { cwd?: string; environment?: Record<string, string> } = {},
): { argv: string[]; options: ExecOptions } {
  const account = { name: user.name, home: user.home, shell: '/bin/bash' };
  return {
    argv: ['setpriv', `--reuid=${user.uid}`, `--regid=${user.uid}`, '--init-groups', '--', ...argv],
    options: {
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      environment: execEnvironment(opts.environment, account),
    },
  };
}
