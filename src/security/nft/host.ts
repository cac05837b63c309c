import { isIpv4 } from '../../shared/ipv4.js';

/** The host side of the bridge the containers sit on. */
export interface HostNetwork {
  /** Bridge interface, e.g. `incusbr0`. */
  bridge: string;
  /** The bridge's IPv4 on the host (the containers' gateway). */
  gateway: string;
  /**
   * coi's DNS resolver, which answers only allowlisted names and fills the learned sets. Allowlist
   * containers' DNS to the gateway (port 53) is redirected here. Absent: no DNS in allowlist mode.
   */
  resolver?: { address: string; port: number };
  /**
   * coi's egress proxy listens on the gateway: allowlist containers' HTTP(S) to learned addresses
   * goes through it (proxy.ts), and nowhere without it. Absent: allowlist HTTP(S) goes direct.
   */
  egressProxy?: boolean;
  /** Its any-name ports (`inject_in_open` containers), per original port; default ANY_NAME_PORTS. */
  anyNamePorts?: Readonly<Record<80 | 443, number>>;
}

export function checkHostNetwork(host: HostNetwork): void {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(host.bridge))
    throw new Error(
      `bridge name "${host.bridge}" is not a valid interface name (1-15 of A-Z a-z 0-9 _ . -)`,
    );
  if (!isIpv4(host.gateway))
    throw new Error(`gateway "${host.gateway}" is not an IPv4 address (the bridge's ipv4.address)`);
  const resolver = host.resolver;
  if (
    resolver &&
    (!isIpv4(resolver.address) ||
      !Number.isInteger(resolver.port) ||
      resolver.port < 1 ||
      resolver.port > 65535)
  )
    throw new Error(
      `DNS resolver ${resolver.address}:${resolver.port} is not an IPv4 address and port`,
    );
}
