import type { IncusApi } from '../../incus/index.js';
import { toCoiContainer, type CoiContainer } from '../../shared/coi-container.js';

/** Every container named `<prefix><hash>-<slot>`, with state; one request for all. */
export async function listCoiContainers(incus: IncusApi, prefix: string): Promise<CoiContainer[]> {
  const all = await incus.instances.listFull();
  return all
    .map((i) => toCoiContainer(i, prefix))
    .filter((c): c is CoiContainer => c !== undefined)
    .sort((a, b) => a.workspace.localeCompare(b.workspace) || a.slot - b.slot);
}

/** The uid of the code user in a container (it may have been remapped to the workspace owner). */
export async function codeUidOf(incus: IncusApi, container: CoiContainer): Promise<number> {
  const result = await incus.exec.run(container.name, ['id', '-u', container.codeUser]);
  const uid = Number(result.stdout.toString().trim());
  return result.exitCode === 0 && Number.isInteger(uid) ? uid : 1000;
}
