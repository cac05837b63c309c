import { TABLE, containerSet, type ContainerSetRole } from './names.js';

const ADDRESSES = '{ type ipv4_addr; flags interval; auto-merge; }';
const ADDRESS_PORTS = '{ type ipv4_addr . inet_service; flags interval; }';

const SET_SPEC: Record<ContainerSetRole, string> = {
  static: ADDRESSES,
  staticPorts: ADDRESS_PORTS,
  learned: '{ type ipv4_addr; flags timeout; }',
  learnedPorts: '{ type ipv4_addr . inet_service; flags timeout; }',
  hosts: ADDRESSES,
  hostsPorts: ADDRESS_PORTS,
};

/** Creates the set if it is missing (a no-op when present, elements kept). */
export function addSet(role: ContainerSetRole, ip: string): string {
  return `add set ${TABLE} ${containerSet(role, ip)} ${SET_SPEC[role]}`;
}

/** Removes the set; safe when it is absent. */
export function dropSet(role: ContainerSetRole, ip: string): string[] {
  return [addSet(role, ip), `delete set ${TABLE} ${containerSet(role, ip)}`];
}

/** Creates the set if needed and makes `elements` its whole content. */
export function fillSet(role: ContainerSetRole, ip: string, elements: readonly string[]): string[] {
  const set = containerSet(role, ip);
  const out = [addSet(role, ip), `flush set ${TABLE} ${set}`];
  if (elements.length > 0) out.push(`add element ${TABLE} ${set} { ${elements.join(', ')} }`);
  return out;
}
