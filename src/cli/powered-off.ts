import type { CoiContainer } from '../shared/coi-container.js';
import { endStoppedSession, leftoverSessions } from '../core/session/reconcile.js';
import { confirmOrForce } from './confirm.js';
import type { CliContext } from './context.js';

/**
 * `coi clean`: offers to end the ephemeral sessions found stopped that nobody ended (their
 * supervisor was not running): each is saved, then deleted, reported on stderr. Returns how many
 * were ended, and the containers left to clean otherwise (not one that a live process claimed
 * meanwhile).
 */
export async function endLeftoverSessions(
  ctx: CliContext,
  containers: CoiContainer[],
  force: boolean | undefined,
): Promise<{ ended: number; left: CoiContainer[] }> {
  const leftovers = (await leftoverSessions(containers, ctx.coiDir)).map((c) => c.name);
  if (
    !leftovers.length ||
    !(await confirmOrForce(
      `Save and delete ${leftovers.length} stopped ephemeral session(s): ${leftovers.join(', ')}?`,
      force,
    ))
  ) {
    return { ended: 0, left: containers };
  }
  const handled = new Set<string>();
  let ended = 0;
  for (const name of leftovers) {
    try {
      const result = await endStoppedSession(ctx.incus, name, ctx.coiDir);
      handled.add(name);
      // Claimed since it was listed: its new owner ends it.
      if (typeof result === 'string') continue;
      ended++;
      if (result.saved) process.stderr.write(`Session saved to ${result.saved.dir}\n`);
      process.stderr.write(`Container ${name} deleted.\n`);
    } catch (err) {
      process.stderr.write(
        `Warning: the session of ${name} could not be ended: ${(err as Error).message}\n`,
      );
    }
  }
  return { ended, left: containers.filter((c) => !handled.has(c.name)) };
}
