import type { IncusApi } from '../../incus/index.js';
import type { Config } from '../config/index.js';
import { codeUidOf } from '../container/code-uid.js';
import { headlessCommand } from '../tools/command.js';
import { toolAdapter } from '../tools/registry.js';
import type { ResumeRequest } from '../tools/types.js';
import { codeHome, readCoiKeys } from '../../shared/instance-keys.js';
import { CoiError } from '../../shared/errors.js';
import { proxiedEnvironment } from './launch/credential-proxy.js';
import { launchEnvironment } from './launch/setup.js';

/** How to start the agent headless in a running session container, for an outside orchestrator. */
export interface HeadlessSpec {
  container: string;
  /** uid and gid to exec as (the code user, possibly mapped onto the workspace owner). */
  user: number;
  group: number;
  cwd: string;
  command: string[];
  env: Record<string, string>;
}

export interface HeadlessSpecRequest {
  container: string;
  /** The effective config of the container's workspace. */
  config: Config;
  hostEnv: NodeJS.ProcessEnv;
  /** Where the host's logins are looked for (default: this process's home). */
  hostHome?: string;
  prompt: string;
  resume?: ResumeRequest;
}

/**
 * The argv and environment `coi run --prompt` would use in that container; nothing runs but
 * `id -u` (the uid) and, as for any launch, the config's env_commands on the host.
 */
export async function headlessSpec(
  incus: IncusApi,
  req: HeadlessSpecRequest,
): Promise<HeadlessSpec> {
  const { value: instance } = await incus.instances.get(req.container);
  if (instance.status !== 'Running') {
    throw new CoiError(
      `container ${req.container} is ${instance.status.toLowerCase()}: the agent can only start in a running container (coi container start ${req.container})`,
    );
  }
  const keys = readCoiKeys(instance.config);
  const { config } = req;
  // The tool the session was launched with; the configured binary only when it is that tool.
  const name = keys.tool || config.tool.name;
  const tool = toolAdapter(name, name === config.tool.name ? config.tool.binary : undefined);
  const home = codeHome(keys.codeUser);
  const command = headlessCommand(
    config,
    { tool, home, ...(req.resume ? { resume: req.resume } : {}) },
    req.prompt,
  );
  const uid = await codeUidOf(incus, { name: req.container, codeUser: keys.codeUser });
  const sshAgentSocket = config.ssh.forward_agent ? req.hostEnv.SSH_AUTH_SOCK : undefined;
  const configured = await launchEnvironment(
    { loaded: { config }, hostEnv: req.hostEnv, cliEnv: {} },
    { codeUser: keys.codeUser, tool: tool.adapter, ...(sshAgentSocket ? { sshAgentSocket } : {}) },
  );
  // As at launch: a secret the proxy sets never reaches the container, not even by forward_env.
  const env = proxiedEnvironment(configured, config, tool.adapter, req.hostEnv, req.hostHome);
  return { container: req.container, user: uid, group: uid, cwd: '/workspace', command, env };
}
