import { join } from 'node:path';
import { allSettledOrThrow } from '../../../shared/revert.js';
import type { HostLocks } from '../host-locks.js';
import { prepareContainer } from '../inside.js';
import type { LaunchRequest } from '../launch.js';
import { SavedSessions } from '../saved-sessions.js';
import { startTmuxSession } from '../tmux.js';
import { writeContextFiles } from './context-files.js';
import type { LaunchPlan } from './plan.js';
import { insideSetup } from './setup.js';

/** A started session container and what its preparation needs from the earlier steps. */
export interface Started {
  container: string;
  slot: number;
  env: Record<string, string>;
  /** Protected paths relative to the workspace, as materialised. */
  protectedPaths: string[];
  locks: HostLocks;
}

/**
 * The root-side set-up with the host paths locked meanwhile, the saved session restored, then for
 * `coi shell` the context files and the tool in tmux.
 */
export async function prepareSession(
  req: LaunchRequest,
  plan: LaunchPlan,
  started: Started,
): Promise<void> {
  const { incus, workspace } = req;
  const { config } = req.loaded;
  const { container } = started;
  const step = req.onStep ?? (() => undefined);
  step('Preparing the container...');
  await allSettledOrThrow([
    prepareContainer(incus, container, insideSetup(config, container, plan, req.hostEnv)),
    plan.lockHostPaths
      ? started.locks.lock(
          container,
          started.protectedPaths.map((rel) => join(workspace, rel)),
        )
      : undefined,
  ]);
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
  if (!req.startTool) return;
  await writeContextFiles(req, plan, started);
  step(`Starting ${plan.tool.name} in tmux...`);
  await startTmuxSession(incus, {
    container,
    uid: plan.codeUid,
    home: plan.home,
    user: plan.codeUser,
    env: started.env,
    command: plan.tool.command(plan.binary, {
      permissionMode: config.tool.permission_mode,
      ...(req.resume ? { resume: req.resume } : {}),
    }),
  });
}
