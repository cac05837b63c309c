import type { ProxyLogin } from '../../tools/types.js';
import { loginVariables, type ChosenLogin } from './proxy-login.js';

/** The session's login variables when the egress proxy sets the tool's login. */
export interface LoginEnv {
  /** Hold the sentinel (the variable the tool inside sends the login from). */
  sentinel: string[];
  /** Never reach the container: another login the tool inside would prefer, or send as is. */
  dropped: string[];
}

export function loginEnv(logins: readonly ProxyLogin[], chosen: ChosenLogin): LoginEnv {
  const { sentinelEnv: sentinel } = chosen;
  return { sentinel, dropped: loginVariables(logins).filter((name) => !sentinel.includes(name)) };
}

/**
 * The configured environment (forward_env, [defaults] environment, env_commands, --env) without
 * its login variables, so that no real login reaches the container; the line says which it had.
 */
export function withoutLoginEnv(
  configured: Record<string, string>,
  { sentinel, dropped }: LoginEnv,
): { env: Record<string, string>; line?: string } {
  const env = { ...configured };
  const held = sentinel.filter((name) => name in env);
  const gone = dropped.filter((name) => name in env);
  for (const name of [...held, ...gone]) delete env[name];
  if (held.length + gone.length === 0) return { env };
  const fates = [
    ...(held.length
      ? [`${held.join(', ')} ${held.length > 1 ? 'hold' : 'holds'} the sentinel`]
      : []),
    ...(gone.length ? [`${gone.join(', ')} ${gone.length > 1 ? 'are' : 'is'} dropped`] : []),
  ];
  return {
    env,
    line: `The session's environment would carry a login (${[...held, ...gone].join(', ')}); it goes by the egress proxy, so inside ${fates.join(' and ')}`,
  };
}
