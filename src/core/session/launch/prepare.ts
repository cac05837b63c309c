import { join } from 'node:path';
import type { SessionLog } from '../../logs/session-log.js';
import { allSettledOrThrow } from '../../../shared/revert.js';
import { agentCommand } from '../../tools/command.js';
import type { HostLocks } from '../host-locks.js';
import { prepareContainer } from '../inside.js';
import type { LaunchRequest } from '../launch.js';
import { SavedSessions } from '../saved-sessions.js';
import { startTmuxSession } from '../tmux.js';
import { writeContextFiles } from './context-files.js';
import { installProxyCa, type CredentialProxy } from './credential-proxy.js';
import { copyInHostFiles } from './host-files.js';
import { attachHostSockets, hostSocketDevices } from './host-sockets.js';
import type { LaunchPlan } from './plan.js';
import { runPreLaunch } from './pre-launch.js';
import { insideSetup } from './setup.js';

/** A started session container and what its preparation needs from the earlier steps. */
export interface Started {
  container: string;
  /** The IPv4 pinned on its NIC. */
  ip: string;
  slot: number;
  env: Record<string, string>;
  /** Protected paths relative to the workspace, as materialised. */
  protectedPaths: string[];
  locks: HostLocks;
  /** The session's log: `[tool] pre_launch` output goes there. */
  log?: SessionLog;
  /** Credentials the egress proxy sets for this session. */
  credentialProxy?: CredentialProxy;
}

/** The agent's argv as the session starts it (in tmux, or on the caller's terminal). */
export function toolCommand(req: Pick<LaunchRequest, 'loaded' | 'resume'>, plan: LaunchPlan) {
  return agentCommand(req.loaded.config, {
    tool: { adapter: plan.tool, binary: plan.binary },
    home: plan.home,
    ...(req.resume ? { resume: req.resume } : {}),
  });
}

/**
 * The root-side set-up with the host paths locked meanwhile, the host sockets plugged in, the saved
 * session restored, then for `coi shell` the context files, `[tool] pre_launch` and the tool in
 * tmux (unless the caller runs it on its own terminal: `direct`).
 */
export async function prepareSession(
  req: LaunchRequest,
  plan: LaunchPlan,
  started: Started,
): Promise<void> {
  const { incus, workspace } = req;
  const { config } = req.loaded;
  const { container, ip } = started;
  const step = req.onStep ?? (() => undefined);
  step('Preparing the container...');
  await allSettledOrThrow([
    prepareContainer(incus, container, insideSetup(config, { container, ip }, plan, req.hostEnv)),
    plan.lockHostPaths
      ? started.locks.lock(
          container,
          started.protectedPaths.map((rel) => join(workspace, rel)),
        )
      : undefined,
  ]);
  await attachHostSockets(
    incus,
    container,
    hostSocketDevices({
      config,
      ...(plan.sshAgentSocket ? { sshAgentSocket: plan.sshAgentSocket } : {}),
      hostUid: plan.owner.uid,
      codeUid: plan.codeUid,
    }),
  );
  if (plan.restore) {
    const { session, stateDir } = plan.restore;
    step(`Restoring saved session ${session.session_id}...`);
    const tree = incus.fileTree;
    await new SavedSessions(req.coiDir).restore(
      tree,
      session,
      container,
      plan.home,
      stateDir,
      plan.codeUid,
    );
  }
  const proxy = started.credentialProxy;
  if (proxy) {
    step("Installing the egress proxy's CA (credentials are set on the host)...");
    await installProxyCa(incus, req.coiDir, container);
  }
  step(`Copying the ${plan.tool.name} login and settings...`);
  await copyInHostFiles(req, plan, container, proxy?.loginSentinel);
  if (!req.startTool && !req.toolFiles) return;
  await writeContextFiles(req, plan, started);
  await runPreLaunch(
    {
      incus,
      container,
      commands: config.tool.pre_launch,
      env: started.env,
      ...(started.log ? { log: started.log } : {}),
      onStep: step,
    },
    plan,
  );
  if (!req.startTool || req.direct) return;
  step(`Starting ${plan.tool.name} in tmux...`);
  await startTmuxSession(incus, {
    container,
    uid: plan.codeUid,
    home: plan.home,
    user: plan.codeUser,
    env: started.env,
    command: toolCommand(req, plan),
  });
}
