import { EMPTY_ALLOWLIST, parseAllowlist, type NetworkPolicy } from '../../security/nft/index.js';
import type { Config } from '../config/index.js';

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
    logging: {
      ratePerSecond: monitoring.nft.rate_limit_per_second,
      connections: monitoring.nft.enabled,
      dnsQueries: monitoring.nft.log_dns_queries,
    },
  };
}
