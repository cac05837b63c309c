import type { IncusClient } from './client.js';
import { unlessNotFound } from './errors.js';
import type { NetworksService } from './interfaces.js';

/** `/1.0/networks` (shared/api/network.go). */
export interface Network {
  name: string;
  type: string;
  managed: boolean;
  description: string;
  config: Record<string, string>;
  status: string;
  used_by: string[] | null;
}

/** `/1.0/networks/NAME/leases` (shared/api/network_lease.go). */
export interface NetworkLease {
  hostname: string;
  hwaddr: string;
  address: string;
  type: string;
  location?: string;
}

export interface NetworkCreate {
  name: string;
  type?: string;
  config?: Record<string, string>;
  description?: string;
}

export class NetworksApi implements NetworksService {
  constructor(private readonly client: IncusClient) {}

  list(): Promise<Network[]> {
    return this.client.get<Network[]>('/1.0/networks', { recursion: 1 });
  }

  get(name: string): Promise<Network> {
    return this.client.get<Network>(`/1.0/networks/${encodeURIComponent(name)}`);
  }

  find(name: string): Promise<Network | undefined> {
    return unlessNotFound(this.get(name));
  }

  /** The DHCP leases and static allocations of a managed network. */
  leases(name: string): Promise<NetworkLease[]> {
    return this.client.get<NetworkLease[]>(`/1.0/networks/${encodeURIComponent(name)}/leases`);
  }

  async create(network: NetworkCreate): Promise<void> {
    await this.client.sync('POST', '/1.0/networks', { body: network });
  }

  /** Merges config keys into the network (`""` removes one). */
  async patchConfig(name: string, config: Record<string, string>): Promise<void> {
    await this.client.sync('PATCH', `/1.0/networks/${encodeURIComponent(name)}`, {
      body: { config },
    });
  }

  async delete(name: string): Promise<void> {
    await this.client.sync('DELETE', `/1.0/networks/${encodeURIComponent(name)}`);
  }
}
