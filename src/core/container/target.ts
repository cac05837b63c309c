import type { IncusApi } from '../../incus/index.js';
import { listCoiContainers } from './list.js';
import { parseContainerName, workspaceHash } from '../../shared/naming.js';
import { CoiError } from '../../shared/errors.js';

/** A container the user did not name could not be picked unambiguously. */
export class ContainerTargetError extends CoiError {}

export interface TargetSources {
  /** `--container` / `-c`. */
  flag?: string;
  /** `COI_CONTAINER`. */
  env?: string;
  workspace: string;
  prefix: string;
}

/**
 * The container a command acts on: `--container`, else `COI_CONTAINER`, else the one coi container
 * of this workspace. Several (or none) is an error naming the candidates.
 */
export async function resolveContainer(incus: IncusApi, sources: TargetSources): Promise<string> {
  const named = sources.flag || sources.env;
  if (named) {
    if (!(await incus.instances.exists(named))) {
      const via = sources.flag ? '--container' : 'COI_CONTAINER';
      throw new ContainerTargetError(
        `container "${named}" (from ${via}) does not exist; \`coi list\` shows the coi containers`,
      );
    }
    return named;
  }
  const hash = workspaceHash(sources.workspace);
  const all = await listCoiContainers(incus, sources.prefix);
  const mine = all.filter((c) => parseContainerName(c.name, sources.prefix)?.hash === hash);
  if (mine.length === 1) return mine[0]!.name;
  if (mine.length === 0) {
    const others = all.map((c) => c.name);
    throw new ContainerTargetError(
      `no coi container belongs to workspace ${sources.workspace}; name one with --container` +
        ` or COI_CONTAINER${others.length ? ` (coi containers: ${others.join(', ')})` : ''}`,
    );
  }
  throw new ContainerTargetError(
    `workspace ${sources.workspace} has ${mine.length} containers (${mine.map((c) => c.name).join(', ')}); ` +
      'pick one with --container or COI_CONTAINER',
  );
}
