import { execFileSync } from 'node:child_process';
import type { Config } from '../config/index.js';
import type { GitIdentity } from './git-guards.js';

/** One key of the host's global git config; undefined when unset or git is missing. */
function hostGitValue(key: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const value = execFileSync('git', ['config', '--global', '--get', key], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    }).trim();
    return value || undefined;
  } catch {
    return undefined;
  }
}

/** The identity inside: `[git] name`/`email`, else (seed_host_identity) the host's global one. */
export function sessionGitIdentity(config: Config, hostEnv: NodeJS.ProcessEnv): GitIdentity {
  const seed = (key: string) =>
    config.git.seed_host_identity ? hostGitValue(key, hostEnv) : undefined;
  const name = config.git.name ?? seed('user.name');
  const email = config.git.email ?? seed('user.email');
  return { ...(name ? { name } : {}), ...(email ? { email } : {}) };
}
