import { IncusNotFoundError } from '../../incus/errors.js';
import type { InstanceFull } from '../../incus/instance-types.js';
import type { IncusApi } from '../../incus/interfaces.js';
import { ContainerOpError } from './lifecycle.js';

type InspectIncus = { instances: Pick<IncusApi['instances'], 'listFull' | 'getFull'> };

/** Every instance of the project, coi's or not, with state and snapshots, by name. */
export async function listInstances(incus: InspectIncus): Promise<InstanceFull[]> {
  return (await incus.instances.listFull()).sort((a, b) => a.name.localeCompare(b.name));
}

/** One instance with its state and snapshots, as Incus reports it. */
export async function instanceInfo(incus: InspectIncus, name: string): Promise<InstanceFull> {
  try {
    return await incus.instances.getFull(name);
  } catch (err) {
    if (err instanceof IncusNotFoundError)
      throw new ContainerOpError(
        `container "${name}" does not exist (\`coi container list\` shows them)`,
      );
    throw err;
  }
}
