import type { Incus } from '../incus/index.js';
import type { InstanceFull } from '../incus/instance-types.js';
import { parseContainerName } from './naming.js';

/** A coi container as the commands and the control room see it. */
export interface CoiContainer {
  name: string;
  status: string;
  persistent: boolean;
  workspace: string;
  slot: number;
  tool: string;
  sessionId: string;
  ipv4: string;
  createdAt: string;
  image: string;
  pool: string;
  codeUser: string;
  instance: InstanceFull;
}

export function ipv4Of(instance: Pick<InstanceFull, 'state'>): string {
  const eth0 = instance.state?.network?.eth0;
  return eth0?.addresses.find((a) => a.family === 'inet')?.address ?? '';
}

export function toCoiContainer(instance: InstanceFull, prefix: string): CoiContainer | undefined {
  const parsed = parseContainerName(instance.name, prefix);
  if (!parsed) return undefined;
  // While an instance stops itself the daemon briefly lists it as "Error" with no config.
  const cfg = instance.config ?? {};
  return {
    name: instance.name,
    status: instance.status,
    persistent: cfg['user.coi.persistent'] === 'true',
    workspace: cfg['user.coi.workspace'] ?? '',
    slot: parsed.slot,
    tool: cfg['user.coi.tool'] ?? '',
    sessionId: cfg['user.coi.session_id'] ?? '',
    ipv4: ipv4Of(instance),
    createdAt: instance.created_at,
    image: cfg['image.description'] ?? cfg['volatile.base_image']?.slice(0, 12) ?? '',
    pool: instance.expanded_devices?.root?.pool ?? '',
    codeUser: cfg['user.coi.code_user'] ?? 'code',
    instance,
  };
}

/** Every container named `<prefix><hash>-<slot>`, with state; one request for all. */
export async function listCoiContainers(incus: Incus, prefix: string): Promise<CoiContainer[]> {
  const all = await incus.instances.listFull();
  return all
    .map((i) => toCoiContainer(i, prefix))
    .filter((c): c is CoiContainer => c !== undefined)
    .sort((a, b) => a.workspace.localeCompare(b.workspace) || a.slot - b.slot);
}

/** The uid of the code user in a container (it may have been remapped to the workspace owner). */
export async function codeUidOf(incus: Incus, container: CoiContainer): Promise<number> {
  const result = await incus.exec.run(container.name, ['id', '-u', container.codeUser]);
  const uid = Number(result.stdout.toString().trim());
  return result.exitCode === 0 && Number.isInteger(uid) ? uid : 1000;
}
