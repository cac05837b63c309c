import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Config } from '../config/index.js';
import { SSH_AGENT_GUEST_SOCKET } from './launch/host-sockets.js';
import { codeHome } from '../../shared/instance-keys.js';
import { CoiError } from '../../shared/errors.js';
import { gitIdentityEnv, type GitIdentity } from './git-guards.js';

const execFileAsync = promisify(execFile);

export class EnvCommandError extends CoiError {}

export interface SessionEnvInput {
  config: Config;
  hostEnv: NodeJS.ProcessEnv;
  codeUser: string;
  /** `--env K=V` from the command line; wins over everything. */
  cliEnv: Record<string, string>;
  sshAgent: boolean;
  timezone: string | undefined;
  /** `[git] readonly`: the identity pinned in the GIT_AUTHOR_ and GIT_COMMITTER_ variables. */
  gitIdentity?: GitIdentity;
}

/**
 * The session's environment. Nothing of the host leaks in unless configured: forward_env names,
 * [defaults.environment], env_commands (run on the host now), the pinned git identity, then --env.
 */
export async function sessionEnvironment(input: SessionEnvInput): Promise<Record<string, string>> {
  const { config, hostEnv } = input;
  const env: Record<string, string> = {
    HOME: codeHome(input.codeUser),
    USER: input.codeUser,
    LOGNAME: input.codeUser,
    SHELL: '/bin/bash',
    TERM: sanitizeTerm(hostEnv.TERM),
    IS_SANDBOX: '1',
    COLORTERM: hostEnv.COLORTERM ?? 'truecolor',
  };
  if (input.timezone) env.TZ = input.timezone;
  if (input.sshAgent) env.SSH_AUTH_SOCK = SSH_AGENT_GUEST_SOCKET;
  for (const socket of config.sockets) if (socket.env) env[socket.env] = socket.container;
  Object.assign(env, config.defaults.environment);
  for (const name of config.defaults.forward_env) {
    const value = hostEnv[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, command] of Object.entries(config.defaults.env_commands)) {
    env[name] = await runEnvCommand(name, command);
  }
  if (input.gitIdentity) Object.assign(env, gitIdentityEnv(input.gitIdentity));
  Object.assign(env, input.cliEnv);
  for (const [k, v] of Object.entries(env)) if (v === '') delete env[k];
  return env;
}

async function runEnvCommand(name: string, command: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync('/bin/sh', ['-c', command], { timeout: 30_000 });
    return stdout.trim();
  } catch (err) {
    throw new EnvCommandError(
      `defaults.env_commands.${name}: \`${command}\` failed (${(err as Error).message.split('\n')[0]}); fix the command or remove the key`,
    );
  }
}

/** Terminals with terminfo in every image (ncurses-base); the rest (kitty, foot, …) map to xterm. */
const KNOWN_TERMS =
  /^(xterm(-256color|-color)?|screen(-256color)?|tmux(-256color)?|linux|vt(100|102|220)|rxvt-unicode(-256color)?)$/;

export function sanitizeTerm(term: string | undefined): string {
  return term && KNOWN_TERMS.test(term) ? term : 'xterm-256color';
}
