import type { IncusApi, InstanceFull } from '../../incus/index.js';
import { IncusNotFoundError } from '../../incus/errors.js';
import { toCoiContainer, type CoiContainer } from '../../shared/coi-container.js';
import { parseContainerName } from '../../shared/naming.js';

/** What listing uses of Incus. */
export interface ListIncus {
  instances: Pick<IncusApi['instances'], 'listFull'>;
}

/** Every container named `<prefix><hash>-<slot>`, with state; one request for all. */
export async function listCoiContainers(incus: ListIncus, prefix: string): Promise<CoiContainer[]> {
  return coiContainers(await incus.instances.listFull(), prefix);
}

/** What a quick listing uses of Incus. */
export interface QuickListIncus {
  instances: Pick<IncusApi['instances'], 'list' | 'state'>;
}

/**
 * listCoiContainers for `coi list`, which must answer in a blink: one `recursion=1` request (a
 * few ms for 10 containers, where `recursion=2` takes ~50), then the state of each coi container
 * that is not stopped (a stopped one has no addresses to show). No snapshots or backups.
 */
export async function quickListCoiContainers(
  incus: QuickListIncus,
  prefix: string,
): Promise<CoiContainer[]> {
  const instances = (await incus.instances.list()).filter((i) =>
    parseContainerName(i.name, prefix),
  );
  const withState = await Promise.all(
    instances.map(async (i): Promise<InstanceFull | undefined> => {
      const full = { ...i, state: null, snapshots: null, backups: null };
      if (i.status === 'Stopped') return full;
      try {
        return { ...full, state: await incus.instances.state(i.name) };
      } catch (err) {
        // Deleted since the list was taken: as if listed a moment later.
        if (err instanceof IncusNotFoundError) return undefined;
        throw err;
      }
    }),
  );
  return coiContainers(
    withState.filter((i) => i !== undefined),
    prefix,
  );
}

function coiContainers(instances: InstanceFull[], prefix: string): CoiContainer[] {
  return instances
    .map((i) => toCoiContainer(i, prefix))
    .filter((c): c is CoiContainer => c !== undefined)
    .sort((a, b) => byWorkspace(a.workspace, b.workspace) || a.slot - b.slot);
}

/** localeCompare, skipped for equal paths: its first call loads the collation, ~7 ms. */
function byWorkspace(a: string, b: string): number {
  return a === b ? 0 : a.localeCompare(b);
}
