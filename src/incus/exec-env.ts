import type { ExecAccount } from './exec-types.js';

/** The account coi's images create for the agent (uid 1000), used when /etc/passwd has no entry. */
export const DEFAULT_AGENT_ACCOUNT: ExecAccount = {
  name: 'code',
  home: '/home/code',
  shell: '/bin/bash',
};

/** The account for `uid` in the text of an /etc/passwd file, if listed. */
export function accountFromPasswd(passwd: string, uid: number): ExecAccount | undefined {
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 7 || fields[2] !== String(uid)) continue;
    const [name, , , , , home, shell] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    return { name, home: home || '/', shell: shell.trim() || '/bin/sh' };
  }
  return undefined;
}

/** The fallback account for a uid missing from /etc/passwd. */
export function fallbackAccount(uid: number): ExecAccount {
  return uid === 1000 ? DEFAULT_AGENT_ACCOUNT : { name: String(uid), home: '/', shell: '/bin/sh' };
}

/**
 * The environment sent with an exec: the login variables of a non-root account (Incus sets them
 * only for root), then `extra` (e.g. TERM), then the caller's values, which always win.
 */
export function execEnvironment(
  caller: Record<string, string> | undefined,
  account: ExecAccount | undefined,
  extra: Record<string, string> = {},
): Record<string, string> {
  const login: Record<string, string> = account
    ? { HOME: account.home, USER: account.name, LOGNAME: account.name, SHELL: account.shell }
    : {};
  return { ...login, ...extra, ...caller };
}

/** The exit code of a failed exec operation whose `return` was lost (shell conventions). */
export function exitCodeFromFailure(message: string): number | undefined {
  if (/command not found/i.test(message)) return 127;
  if (/not executable|permission denied/i.test(message)) return 126;
  return undefined;
}
