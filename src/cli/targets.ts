import { listCoiContainers } from '../core/container/list.js';
import type { CoiContainer } from '../shared/coi-container.js';
import { confirmOrForce } from './confirm.js';
import type { CliContext } from './context.js';
import { usageError } from './errors.js';

export interface TargetFlags {
  all?: boolean;
  force?: boolean;
}

const say = (line: string) => process.stderr.write(`${line}\n`);

/**
 * The containers a bulk command acts on: the names given, or `--all` (listed, then confirmed
 * unless `--force`). Names that are not coi containers are returned as `missing`. `action` is the
 * Go coi's word in these messages: "Kill", "Shutdown", "persist".
 */
export async function resolveTargets(
  ctx: CliContext,
  names: string[],
  flags: TargetFlags,
  action: string,
  filter: (c: CoiContainer) => boolean = () => true,
): Promise<{ targets: string[]; missing: string[] }> {
  if (names.length > 0 && flags.all) throw usageError(`give container names or --all, not both`);
  if (names.length === 0 && !flags.all) {
    throw usageError(
      "no container names provided - use 'coi list' to see active containers, or --all for every one",
    );
  }
  const containers = (await listCoiContainers(ctx.incus, ctx.prefix)).filter(filter);
  if (flags.all) {
    if (containers.length === 0) {
      say(`No containers to ${action}`);
      return { targets: [], missing: [] };
    }
    say(`Found ${containers.length} container(s):`);
    for (const c of containers) say(`  - ${c.name}`);
    const question = `${action[0]!.toUpperCase()}${action.slice(1)} all these containers?`;
    const ok = await confirmOrForce(question, flags.force);
    if (!ok) say('Cancelled.');
    return { targets: ok ? containers.map((c) => c.name) : [], missing: [] };
  }
  const known = new Set(containers.map((c) => c.name));
  return {
    targets: names.filter((n) => known.has(n)),
    missing: names.filter((n) => !known.has(n)),
  };
}
