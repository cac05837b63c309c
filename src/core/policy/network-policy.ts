import {
  EMPTY_ALLOWLIST,
  parseAllowlist,
  type HostEntry,
  type NetworkPolicy,
} from '../../security/nft/index.js';
import { parsePortList } from '../../shared/ports.js';
import type { Config, NetworkHost } from '../config/index.js';

/** The policy the `[network]` and `[monitoring.nft]` sections of the effective config describe. */
export function policyFromConfig(config: Pick<Config, 'network' | 'monitoring'>): NetworkPolicy {
  const { network, monitoring } = config;
  return {
    mode: network.mode,
    allowlist:
      network.mode === 'allowlist' ? parseAllowlist(network.allowed_domains) : EMPTY_ALLOWLIST,
    allowLocalNetworkAccess: network.allow_local_network_access,
    blockPrivateNetworks: network.block_private_networks,
    blockMetadataEndpoint: network.block_metadata_endpoint,
    hosts: network.hosts.map(hostEntry),
    allowedPorts: network.allowed_ports,
    dnsServers: network.dns_servers,
    logging: {
      ratePerSecond: monitoring.nft.rate_limit_per_second,
      connections: monitoring.nft.enabled,
      dnsQueries: monitoring.nft.log_dns_queries,
    },
  };
}

/** A `[[network.hosts]]` entry as the ruleset takes it (validated already by the schema). */
export function hostEntry(host: NetworkHost): HostEntry {
  return {
    ip: host.ip,
    hostnames: host.hostnames,
    ports: host.ports.flatMap((p) => (typeof p === 'number' ? [p] : parsePortList(p))),
  };
}
