import type { IncusClient } from './client.js';
import { unlessNotFound } from './errors.js';
import type { ProfilesService } from './interfaces.js';

export type Devices = Record<string, Record<string, string>>;

/** `/1.0/profiles` (shared/api/profile.go). */
export interface Profile {
  name: string;
  description: string;
  config: Record<string, string>;
  devices: Devices;
  used_by: string[] | null;
}

/** The writable fields, as `put` replaces them. */
export interface ProfilePut {
  description: string;
  config: Record<string, string>;
  devices: Devices;
}

export interface ProfileCreate extends Partial<ProfilePut> {
  name: string;
}

export class ProfilesApi implements ProfilesService {
  constructor(private readonly client: IncusClient) {}

  list(): Promise<Profile[]> {
    return this.client.get<Profile[]>('/1.0/profiles', { recursion: 1 });
  }

  async get(name: string): Promise<Profile & { etag: string | undefined }> {
    const { metadata, etag } = await this.client.sync<Profile>(
      'GET',
      `/1.0/profiles/${encodeURIComponent(name)}`,
    );
    return { ...metadata, etag };
  }

  find(name: string): Promise<Profile | undefined> {
    return unlessNotFound(this.get(name));
  }

  async create(profile: ProfileCreate): Promise<void> {
    await this.client.sync('POST', '/1.0/profiles', { body: profile });
  }

  /** Replaces the profile (the only way to remove a device); pass the ETag read with it. */
  async put(name: string, profile: ProfilePut, etag?: string): Promise<void> {
    await this.client.sync('PUT', `/1.0/profiles/${encodeURIComponent(name)}`, {
      body: profile,
      headers: etag ? { 'if-match': etag } : {},
    });
  }

  async delete(name: string): Promise<void> {
    await this.client.sync('DELETE', `/1.0/profiles/${encodeURIComponent(name)}`);
  }
}
