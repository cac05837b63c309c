import type { IncusClient } from './client.js';
import { unlessNotFound } from './errors.js';
import type { StoragePoolsService } from './interfaces.js';

/** `/1.0/storage-pools` (shared/api/storage_pool.go). */
export interface StoragePool {
  name: string;
  driver: string;
  description: string;
  config: Record<string, string>;
  status: string;
  used_by: string[] | null;
}

export interface StoragePoolResources {
  space: { used: number; total: number };
  inodes?: { used: number; total: number };
}

export interface StoragePoolCreate {
  name: string;
  driver: string;
  config?: Record<string, string>;
  description?: string;
}

export class StoragePoolsApi implements StoragePoolsService {
  constructor(private readonly client: IncusClient) {}

  list(): Promise<StoragePool[]> {
    return this.client.get<StoragePool[]>('/1.0/storage-pools', { recursion: 1 });
  }

  get(name: string): Promise<StoragePool> {
    return this.client.get<StoragePool>(`/1.0/storage-pools/${encodeURIComponent(name)}`);
  }

  find(name: string): Promise<StoragePool | undefined> {
    return unlessNotFound(this.get(name));
  }

  async create(pool: StoragePoolCreate): Promise<void> {
    await this.client.sync('POST', '/1.0/storage-pools', { body: pool });
  }

  async delete(name: string): Promise<void> {
    await this.client.sync('DELETE', `/1.0/storage-pools/${encodeURIComponent(name)}`);
  }

  resources(name: string): Promise<StoragePoolResources> {
    return this.client.get<StoragePoolResources>(
      `/1.0/storage-pools/${encodeURIComponent(name)}/resources`,
    );
  }
}
