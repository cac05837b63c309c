import { containerSet, type ContainerSetRole } from './names.js';
import type { HostEntry } from './policy.js';
import { addressPortElements } from './port-elements.js';
import { fillSet } from './sets.js';

/** The sets of a container's named hosts; they exist in restricted and allowlist mode. */
export const HOST_SET_ROLES: readonly ContainerSetRole[] = ['hosts', 'hostsPorts'];

/** Fills the container's host sets with exactly these entries. */
export function hostSets(ip: string, hosts: readonly HostEntry[]): string[] {
  const everyPort = [...new Set(hosts.filter((h) => h.ports.length === 0).map((h) => h.ip))];
  const withPorts = addressPortElements(
    hosts.filter((h) => h.ports.length > 0).map((h) => ({ cidr: h.ip, ports: h.ports })),
  );
  return [...fillSet('hosts', ip, everyPort), ...fillSet('hostsPorts', ip, withPorts)];
}

/** The accepts that let the container reach its named hosts (TCP/UDP only when port-scoped). */
export function hostRules(ip: string): string[] {
  return [
    `ip daddr @${containerSet('hosts', ip)} accept`,
    `meta l4proto { tcp, udp } ip daddr . th dport @${containerSet('hostsPorts', ip)} accept`,
  ];
}

/**
 * Replaces a running container's named hosts in one batch (`coi hosts add|remove`): only its host
 * sets change, its chain already refers to them.
 */
export function renderHosts(ip: string, hosts: readonly HostEntry[]): string {
  return hostSets(ip, hosts).join('\n') + '\n';
}
