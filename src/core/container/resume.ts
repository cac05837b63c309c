import { IncusNotFoundError } from '../../incus/errors.js';
import type { IncusApi } from '../../incus/index.js';
import { coiKeysConfig } from '../../shared/instance-keys.js';

/** What resuming uses of Incus. */
export interface ResumeIncus {
  instances: Pick<IncusApi['instances'], 'unfreeze' | 'patch'>;
}

/**
 * Unfreezes a container and clears the threat responder's `frozen_by` marker: left behind, it
 * would label the next ordinary pause of this container as a threat freeze.
 */
export async function resumeContainer(incus: ResumeIncus, name: string): Promise<void> {
  await (await incus.instances.unfreeze(name)).wait();
  try {
    await incus.instances.patch(name, { config: coiKeysConfig({ frozenBy: '' }) });
  } catch (err) {
    // Deleted right after the resume: there is no marker left to clear.
    if (!(err instanceof IncusNotFoundError)) throw err;
  }
}
