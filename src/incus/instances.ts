import type { IncusClient } from './client.js';
import { IncusNotFoundError, withConfigKey } from './errors.js';
import { filterExpression, type FilterTerm } from './filter.js';
import type {
  Instance,
  InstanceCreateOptions,
  InstanceFull,
  InstancePatch,
  InstancePut,
  InstanceState,
  InstanceStateRequest,
} from './instance-types.js';
import type { InstancesService } from './interfaces.js';
import type { Operation } from './operation.js';

/** A list filter: a built expression, terms, or `{ field: exact value }`. */
export type InstanceFilter = string | FilterTerm[] | Record<string, string | boolean>;

export interface StopOptions {
  /** Kill instead of a clean shutdown. */
  force?: boolean;
  /** Seconds to wait for a clean shutdown before failing (-1: for ever). */
  timeout?: number;
}

export interface Versioned<T> {
  value: T;
  /** For `If-Match` on PUT/PATCH: the write fails (412) if the object changed since. */
  etag: string;
}

export interface InstanceCopyOptions {
  name: string;
  /** `<name>`, or `<name>/<snapshot>` to copy a snapshot. */
  source: string;
  /** Leave the source's snapshots out. */
  instanceOnly?: boolean;
  description?: string;
}

function instancePath(name: string, sub = ''): string {
  return `/1.0/instances/${encodeURIComponent(name)}${sub}`;
}

function filterQuery(filter: InstanceFilter | undefined): string | undefined {
  if (filter === undefined) return undefined;
  return typeof filter === 'string' ? filter : filterExpression(filter);
}

function ifMatch(etag: string | undefined): Record<string, string> | undefined {
  return etag ? { 'if-match': etag } : undefined;
}

/** `/1.0/instances`: one typed method per endpoint. Async endpoints return their Operation. */
export class InstancesApi implements InstancesService {
  constructor(private readonly client: IncusClient) {}

  /** Instance names, optionally filtered server-side. */
  async names(filter?: InstanceFilter): Promise<string[]> {
    const urls = await this.client.get<string[]>('/1.0/instances', { filter: filterQuery(filter) });
    return urls.map((url) => decodeURIComponent(url.slice(url.lastIndexOf('/') + 1)));
  }

  /** Instances (`recursion=1`), optionally filtered server-side. */
  list(filter?: InstanceFilter): Promise<Instance[]> {
    return this.client.get<Instance[]>('/1.0/instances', {
      recursion: 1,
      filter: filterQuery(filter),
    });
  }

  /** Instances with state, snapshots and backups (`recursion=2`). */
  listFull(filter?: InstanceFilter): Promise<InstanceFull[]> {
    return this.client.get<InstanceFull[]>('/1.0/instances', {
      recursion: 2,
      filter: filterQuery(filter),
    });
  }

  /** One instance and its ETag. */
  async get(name: string): Promise<Versioned<Instance>> {
    const { metadata, etag } = await this.client.sync<Instance>('GET', instancePath(name));
    return { value: metadata, etag: etag ?? '' };
  }

  /** One instance with state and snapshots (`recursion=1` on the instance). */
  getFull(name: string): Promise<InstanceFull> {
    return this.client.get<InstanceFull>(instancePath(name), { recursion: 1 });
  }

  async exists(name: string): Promise<boolean> {
    try {
      await this.client.get(instancePath(name));
      return true;
    } catch (err) {
      if (err instanceof IncusNotFoundError) return false;
      throw err;
    }
  }

  /**
   * Creates an instance from a local image. A name already taken fails in the operation
   * (`wait()` throws IncusConflictError).
   */
  create(opts: InstanceCreateOptions): Promise<Operation> {
    return this.client.operation('POST', '/1.0/instances', {
      body: {
        name: opts.name,
        type: opts.type ?? 'container',
        source: { type: 'image', ...opts.image },
        config: opts.config ?? {},
        devices: opts.devices ?? {},
        ...(opts.profiles ? { profiles: opts.profiles } : {}),
        ephemeral: opts.ephemeral ?? false,
        start: opts.start ?? false,
        description: opts.description ?? '',
      },
    });
  }

  /** `PUT /state`: the one endpoint behind start, stop, restart, freeze and unfreeze. */
  setState(name: string, request: InstanceStateRequest): Promise<Operation> {
    return this.client.operation('PUT', instancePath(name, '/state'), { body: request });
  }

  start(name: string): Promise<Operation> {
    return this.setState(name, { action: 'start' });
  }

  stop(name: string, opts: StopOptions = {}): Promise<Operation> {
    return this.setState(name, {
      action: 'stop',
      force: opts.force ?? false,
      timeout: opts.timeout ?? -1,
    });
  }

  restart(name: string, opts: StopOptions = {}): Promise<Operation> {
    return this.setState(name, {
      action: 'restart',
      force: opts.force ?? false,
      timeout: opts.timeout ?? -1,
    });
  }

  freeze(name: string): Promise<Operation> {
    return this.setState(name, { action: 'freeze' });
  }

  unfreeze(name: string): Promise<Operation> {
    return this.setState(name, { action: 'unfreeze' });
  }

  /**
   * Deletes an instance and its snapshots. The daemon refuses a running or frozen one
   * (IncusInstanceRunningError); `forceDelete` in core/container stops it first.
   */
  delete(name: string): Promise<Operation> {
    return this.client.operation('DELETE', instancePath(name));
  }

  /**
   * Copies an instance (`source`: `<name>`) or one of its snapshots (`<name>/<snapshot>`) to a new
   * instance on the same server. With `instanceOnly` the source's snapshots are not copied.
   */
  copy(opts: InstanceCopyOptions): Promise<Operation> {
    return this.client.operation('POST', '/1.0/instances', {
      body: {
        name: opts.name,
        source: { type: 'copy', source: opts.source, instance_only: opts.instanceOnly ?? false },
        description: opts.description ?? '',
      },
    });
  }

  /** Renames a stopped instance (the daemon refuses running ones). */
  rename(name: string, newName: string): Promise<Operation> {
    return this.client.operation('POST', instancePath(name), { body: { name: newName } });
  }

  /** Merges config and devices key by key (synchronous); a config value of "" deletes the key. */
  async patch(name: string, patch: InstancePatch, etag?: string): Promise<void> {
    try {
      await this.client.sync('PATCH', instancePath(name), { body: patch, headers: ifMatch(etag) });
    } catch (err) {
      throw withConfigKey(err, patch.config);
    }
  }

  /**
   * Replaces the writable fields. Always send a modified copy of what `get` returned (with its
   * `volatile.*` keys) and its ETag: leaving out volatile idmap keys fails.
   */
  put(name: string, instance: InstancePut, etag?: string): Promise<Operation> {
    const body: InstancePut = {
      architecture: instance.architecture,
      config: instance.config,
      devices: instance.devices,
      ephemeral: instance.ephemeral,
      profiles: instance.profiles,
      stateful: instance.stateful,
      description: instance.description,
    };
    return this.client.operation('PUT', instancePath(name), { body, headers: ifMatch(etag) });
  }

  /** Live state: cpu, memory, network counters and host veth names, processes, init pid. */
  state(name: string): Promise<InstanceState> {
    return this.client.get<InstanceState>(instancePath(name, '/state'));
  }

  /** `logs/lxc.log`: where the real cause of a failed start is. */
  lxcLog(name: string): Promise<string> {
    return this.client.text(instancePath(name, '/logs/lxc.log'));
  }
}
