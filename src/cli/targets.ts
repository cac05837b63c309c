import { listCoiContainers } from '../core/container/list.js';
import type { CoiContainer } from '../shared/coi-container.js';
import { confirmOrForce } from './confirm.js';
import type { CliContext } from './context.js';
import { usageError } from './errors.js';

export interface TargetFlags {
  all?: boolean;
  force?: boolean;
}

/**
 * The containers a bulk command acts on: the names given, or `--all` (after a confirmation unless
 * `--force`). Names that are not coi containers are returned as `missing`.
 */
export async function resolveTargets(
  ctx: CliContext,
  names: string[],
  flags: TargetFlags,
  verb: string,
  filter: (c: CoiContainer) => boolean = () => true,
): Promise<{ targets: string[]; missing: string[] }> {
  if (names.length > 0 && flags.all) throw usageError(`give container names or --all, not both`);
  if (names.length === 0 && !flags.all)
    throw usageError(`name the containers to ${verb}, or use --all`);
  const containers = (await listCoiContainers(ctx.incus, ctx.prefix)).filter(filter);
  if (flags.all) {
    if (containers.length === 0) {
      process.stderr.write(`No containers to ${verb}\n`);
      return { targets: [], missing: [] };
    }
    const ok = await confirmOrForce(
      `${verb} ${containers.length} container(s): ${containers.map((c) => c.name).join(', ')}?`,
      flags.force,
    );
    return { targets: ok ? containers.map((c) => c.name) : [], missing: [] };
  }
  const known = new Set(containers.map((c) => c.name));
  return {
    targets: names.filter((n) => known.has(n)),
    missing: names.filter((n) => !known.has(n)),
  };
}
