import type { InstanceFull } from '../incus/instance-types.js';
import { readCoiKeys, type CoiKeys } from './instance-keys.js';
import { ipv4Of, pinnedAddresses } from './instance-network.js';
import { parseContainerName } from './naming.js';
import { publishedPorts, type PublishedPort } from './published-ports.js';

/** A coi container as the commands, the control room and the monitor daemon see it. */
export interface CoiContainer extends CoiKeys {
  name: string;
  status: string;
  /** From the name (the recorded `user.coi.slot` is the same for containers coi made). */
  slot: number;
  /** The address eth0 holds now ('' when none). */
  ipv4: string;
  /** The address pinned on its NIC at create ('' for containers of an older coi). */
  pinnedIpv4: string;
  createdAt: string;
  image: string;
  pool: string;
  /** Its `[ports]` proxy devices (bound on the host while it runs). */
  ports: PublishedPort[];
  instance: InstanceFull;
}

export function toCoiContainer(instance: InstanceFull, prefix: string): CoiContainer | undefined {
  const parsed = parseContainerName(instance.name, prefix);
  if (!parsed) return undefined;
  // While an instance stops itself the daemon briefly lists it as "Error" with no config.
  const cfg = instance.config ?? {};
  return {
    ...readCoiKeys(cfg),
    name: instance.name,
    status: instance.status,
    slot: parsed.slot,
    ipv4: ipv4Of(instance),
    pinnedIpv4: pinnedAddresses(instance)[0] ?? '',
    createdAt: instance.created_at,
    image: cfg['image.description'] ?? cfg['volatile.base_image']?.slice(0, 12) ?? '',
    pool: instance.expanded_devices?.root?.pool ?? '',
    ports: publishedPorts(instance.expanded_devices),
    instance,
  };
}
