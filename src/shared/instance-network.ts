import type { Instance, InstanceFull } from '../incus/instance-types.js';
import { isIpv4 } from './ipv4.js';

/** The IPv4 the instance's eth0 holds right now ('' when none). */
export function ipv4Of(instance: Pick<InstanceFull, 'state'>): string {
  const eth0 = instance.state?.network?.eth0;
  return eth0?.addresses.find((a) => a.family === 'inet')?.address ?? '';
}

/** The `ipv4.address` pinned on an instance's NICs (profiles applied). */
export function pinnedAddresses(instance: Pick<Instance, 'expanded_devices'>): string[] {
  return Object.values(instance.expanded_devices ?? {})
    .filter((d) => d.type === 'nic' && d['ipv4.address'] && isIpv4(d['ipv4.address']))
    .map((d) => d['ipv4.address']!);
}

/** The bridge of an instance's NIC. */
export function instanceBridge(instance: Pick<Instance, 'expanded_devices'>): string | undefined {
  return Object.values(instance.expanded_devices ?? {}).find((d) => d.type === 'nic')?.network;
}

/** The gateway of a bridge from its `ipv4.address` (`10.0.0.1/24` → `10.0.0.1`; '' when none). */
export function bridgeGateway(config: Record<string, string>): string {
  return (config['ipv4.address'] ?? '').split('/')[0] ?? '';
}
