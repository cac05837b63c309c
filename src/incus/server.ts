import type { IncusClient } from './client.js';
import type { ServerService } from './interfaces.js';

/** `GET /1.0` (shared/api/server.go), the parts coi reads. */
export interface Server {
  config: Record<string, string>;
  api_extensions: string[];
  api_status: string;
  api_version: string;
  auth: 'trusted' | 'untrusted';
  auth_user_method?: string;
  environment?: {
    architectures: string[];
    certificate: string;
    certificate_fingerprint: string;
    driver: string;
    driver_version: string;
    firewall: string;
    kernel: string;
    kernel_version: string;
    kernel_features?: Record<string, string>;
    server_clustered: boolean;
    server_name: string;
    server_version: string;
    storage: string;
    storage_version: string;
  };
}

export class ServerApi implements ServerService {
  constructor(private readonly client: IncusClient) {}

  /** The server's identity, version, extensions and environment; also a liveness probe. */
  async get(): Promise<Server & { etag: string | undefined }> {
    const { metadata, etag } = await this.client.sync<Server>('GET', '/1.0');
    return { ...metadata, etag };
  }

  /** Merges server config keys (`""` removes one). */
  async patchConfig(config: Record<string, string>): Promise<void> {
    await this.client.sync('PATCH', '/1.0', { body: { config } });
  }
}
