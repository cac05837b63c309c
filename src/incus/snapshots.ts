import type { IncusClient } from './client.js';
import { IncusUnsupportedError } from './errors.js';
import type { InstanceSnapshot, SnapshotCreateOptions } from './instance-types.js';
import type { SnapshotsService } from './interfaces.js';
import type { Operation } from './operation.js';

function snapshotsPath(instance: string, snapshot?: string): string {
  const base = `/1.0/instances/${encodeURIComponent(instance)}/snapshots`;
  return snapshot === undefined ? base : `${base}/${encodeURIComponent(snapshot)}`;
}

/** `/1.0/instances/<name>/snapshots`. Async endpoints return their Operation. */
export class SnapshotsApi implements SnapshotsService {
  constructor(private readonly client: IncusClient) {}

  /**
   * Snapshots an instance (a running container is briefly frozen: expect paused/resumed events).
   * Stateful snapshots need `migration.stateful=true` and CRIU on the host; without them the
   * request is refused up front with an IncusUnsupportedError saying so.
   */
  async create(instance: string, opts: SnapshotCreateOptions = {}): Promise<Operation> {
    if (opts.stateful) {
      const config = await this.client.get<{ expanded_config: Record<string, string> }>(
        `/1.0/instances/${encodeURIComponent(instance)}`,
      );
      if (config.expanded_config['migration.stateful'] !== 'true') {
        throw new IncusUnsupportedError(
          `cannot take a stateful snapshot of "${instance}": migration.stateful is not "true" on it`,
          400,
          'Stateful snapshots need migration.stateful=true and CRIU on the Incus host (coi hosts have no CRIU): take a stateless snapshot instead',
        );
      }
    }
    return this.client.operation('POST', snapshotsPath(instance), {
      body: {
        ...(opts.name ? { name: opts.name } : {}),
        stateful: opts.stateful ?? false,
        ...(opts.expiresAt ? { expires_at: opts.expiresAt.toISOString() } : {}),
      },
    });
  }

  async names(instance: string): Promise<string[]> {
    const urls = await this.client.get<string[]>(snapshotsPath(instance));
    return urls.map((url) => decodeURIComponent(url.slice(url.lastIndexOf('/') + 1)));
  }

  list(instance: string): Promise<InstanceSnapshot[]> {
    return this.client.get<InstanceSnapshot[]>(snapshotsPath(instance), { recursion: 1 });
  }

  get(instance: string, snapshot: string): Promise<InstanceSnapshot> {
    return this.client.get<InstanceSnapshot>(snapshotsPath(instance, snapshot));
  }

  /** Restores the instance to the snapshot; a running instance is restarted by the daemon. */
  restore(instance: string, snapshot: string): Promise<Operation> {
    return this.client.operation('PUT', `/1.0/instances/${encodeURIComponent(instance)}`, {
      body: { restore: snapshot },
    });
  }

  rename(instance: string, snapshot: string, newName: string): Promise<Operation> {
    return this.client.operation('POST', snapshotsPath(instance, snapshot), {
      body: { name: newName },
    });
  }

  delete(instance: string, snapshot: string): Promise<Operation> {
    return this.client.operation('DELETE', snapshotsPath(instance, snapshot));
  }
}
