import { describe, expect, it } from 'vitest';
import { policyFromConfig } from '../../../../src/core/policy/network-policy.js';

describe('network policy from config', () => {
  it('builds the policy from the [network] and [monitoring.nft] config sections', () => {
    const built = policyFromConfig({
      network: {
        mode: 'allowlist',
        allowed_domains: ['github.com:443', '10.1.0.0/16'],
        refresh_interval_minutes: 30,
        allow_local_network_access: false,
        block_private_networks: true,
        block_metadata_endpoint: true,
        hosts: [{ ip: '192.168.1.50', hostnames: ['nas.lan'], ports: [5432, '8000-8100'] }],
        allowed_ports: [443],
        dns_servers: ['192.168.1.1'],
        proxy: { no_sni: 'refuse', inject: [], inject_in_open: false },
      },
      monitoring: {
        nft: {
          enabled: true,
          rate_limit_per_second: 100,
          dns_query_threshold: 100,
          log_dns_queries: true,
        },
      } as Parameters<typeof policyFromConfig>[0]['monitoring'],
    });
    expect(built).toEqual({
      mode: 'allowlist',
      allowlist: {
        addresses: [{ cidr: '10.1.0.0/16', ports: [] }],
        domains: [{ name: 'github.com', ports: [443] }],
      },
      allowLocalNetworkAccess: false,
      blockPrivateNetworks: true,
      blockMetadataEndpoint: true,
      hosts: [{ ip: '192.168.1.50', hostnames: ['nas.lan'], ports: [5432, [8000, 8100]] }],
      allowedPorts: [443],
      dnsServers: ['192.168.1.1'],
      logging: { ratePerSecond: 100, connections: true, dnsQueries: true },
    });
  });
});
