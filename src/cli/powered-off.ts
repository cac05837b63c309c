import { listCoiContainers } from '../core/container/list.js';
import type { CoiContainer } from '../shared/coi-container.js';
import { reconcilePoweredOff } from '../core/session/reconcile.js';
import type { CliContext } from './context.js';

/**
 * Lists the coi containers after ending the sessions of ephemeral ones that powered themselves
 * off (saved, then deleted), reporting each on stderr. Returns what is left.
 */
export async function containersAfterReconcile(ctx: CliContext): Promise<CoiContainer[]> {
  const containers = await listCoiContainers(ctx.incus, ctx.prefix);
  const ended = await reconcilePoweredOff(ctx.incus, containers, ctx.coiDir);
  for (const r of ended) {
    process.stderr.write(
      r.error
        ? `Warning: ${r.container} powered off but its session could not be ended: ${r.error.message}\n`
        : `${r.container} had powered off: ${r.result?.saved ? `session saved to ${r.result.saved.dir}, ` : ''}container deleted\n`,
    );
  }
  const gone = new Set(ended.filter((r) => !r.error).map((r) => r.container));
  return containers.filter((c) => !gone.has(c.name));
}
