import type { Config } from '../../config/index.js';
import { toolEnvironment } from '../../tools/settings.js';
import { sessionEnvironment } from '../environment.js';
import type { GitGuards } from '../git-guards.js';
import { sessionGitIdentity } from '../host-git-identity.js';
import type { InsideSetup } from '../inside.js';
import type { LaunchRequest } from '../launch.js';
import { hostTimezone } from '../timezone.js';
import type { LaunchPlan } from './plan.js';

/**
 * The session's environment; env_commands run on the host now. The tool's settings
 * (`[tool.claude] model` → ANTHROPIC_MODEL, …) come first, so that the user's own variables win.
 */
export async function launchEnvironment(
  req: Pick<LaunchRequest, 'hostEnv' | 'cliEnv'> & { loaded: { config: Config } },
  plan: Pick<LaunchPlan, 'codeUser' | 'sshAgentSocket' | 'tool'>,
): Promise<Record<string, string>> {
  const { config } = req.loaded;
  const env = await sessionEnvironment({
    config,
    hostEnv: req.hostEnv,
    codeUser: plan.codeUser,
    cliEnv: req.cliEnv,
    sshAgent: plan.sshAgentSocket !== undefined,
    timezone: sessionTimezone(config),
    ...(config.git.readonly ? { gitIdentity: sessionGitIdentity(config, req.hostEnv) } : {}),
  });
  return { ...toolEnvironment(config, plan.tool), ...env };
}

/** The root-side set-up; a reused persistent container only needs to become ready again. */
export function insideSetup(
  config: Config,
  placed: { container: string; ip: string },
  plan: LaunchPlan,
  hostEnv: NodeJS.ProcessEnv,
): InsideSetup {
  const { runtime } = config.limits;
  const timezone = sessionTimezone(config);
  const identity = sessionGitIdentity(config, hostEnv);
  return {
    hostname: placed.container,
    ipv4: placed.ip,
    codeUser: plan.codeUser,
    codeUid: plan.codeUid,
    imageUid: plan.target.kind === 'create' ? config.incus.code_uid : plan.codeUid,
    ...(identity.name ? { gitName: identity.name } : {}),
    ...(identity.email ? { gitEmail: identity.email } : {}),
    gitGuards: gitGuards(config, identity),
    ...(timezone ? { timezone } : {}),
    hosts: plan.policy.hosts ?? [],
    ...(runtime.max_duration && runtime.auto_stop ? { maxDuration: runtime.max_duration } : {}),
    stopGraceful: runtime.stop_graceful,
    readyTimeoutSeconds: config.container.ready_timeout,
  };
}

function sessionTimezone(config: Config): string | undefined {
  if (config.timezone.mode === 'host') return hostTimezone();
  return config.timezone.mode === 'utc' ? 'Etc/UTC' : config.timezone.name;
}

function gitGuards(config: Config, identity: GitGuards['lockedIdentity']): GitGuards {
  const { git } = config;
  return {
    protectedBranches: git.protected_branches,
    ...(git.strip_attribution ? { attributionPatterns: git.strip_attribution_patterns } : {}),
    ...(git.readonly ? { lockedIdentity: identity } : {}),
  };
}
