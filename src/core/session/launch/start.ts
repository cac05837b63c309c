import type { Reverter } from '../../../shared/revert.js';
import { stopContainer } from '../../container/lifecycle.js';
import type { HostLocks } from '../host-locks.js';
import type { LaunchRequest } from '../launch.js';
import type { LaunchPlan } from './plan.js';

/**
 * Starts the container. From here a failure stops it first, then releases the host paths
 * `prepare` locks (releasing none is a no-op), and only then (registered earlier) its rules: a
 * container never runs without them, nor with its protected paths unlocked.
 */
export async function startSessionContainer(
  req: Pick<LaunchRequest, 'incus' | 'onStep'>,
  plan: LaunchPlan,
  container: string,
  locks: HostLocks,
  revert: Reverter,
): Promise<void> {
  revert.add(() => locks.release(container));
  revert.add(() => stopContainer(req.incus, container, { force: true }));
  req.onStep?.(
    plan.target.kind === 'reuse'
      ? `Starting persistent container ${container}`
      : `Starting ${container}`,
  );
  await (await req.incus.instances.start(container)).wait();
}
