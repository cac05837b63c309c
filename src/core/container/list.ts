import type { IncusApi } from '../../incus/index.js';
import { toCoiContainer, type CoiContainer } from '../../shared/coi-container.js';

/** What listing uses of Incus. */
export interface ListIncus {
  instances: Pick<IncusApi['instances'], 'listFull'>;
}

/** Every container named `<prefix><hash>-<slot>`, with state; one request for all. */
export async function listCoiContainers(incus: ListIncus, prefix: string): Promise<CoiContainer[]> {
  const all = await incus.instances.listFull();
  return all
    .map((i) => toCoiContainer(i, prefix))
    .filter((c): c is CoiContainer => c !== undefined)
    .sort((a, b) => a.workspace.localeCompare(b.workspace) || a.slot - b.slot);
}
