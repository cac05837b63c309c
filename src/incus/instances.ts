import type { IncusClient } from './client.js';
import { IncusError, IncusNotFoundError, withConfigKey } from './errors.js';
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

const FORCE_DELETE_ATTEMPTS = 5;

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
export class InstancesApi {
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
   * Deletes an instance (and its snapshots). The daemon refuses a running one; with `force`
   * it is force-stopped first, like `incus delete -f`.
   */
  async delete(name: string, opts: { force?: boolean } = {}): Promise<Operation> {
    if (!opts.force) return this.client.operation('DELETE', instancePath(name));
    for (let attempt = 1; ; attempt++) {
      const { value } = await this.get(name);
      if (value.status === 'Frozen') await (await this.unfreeze(name)).wait();
      if (value.status !== 'Stopped') await (await this.stop(name, { force: true })).wait();
      try {
        return await this.client.operation('DELETE', instancePath(name));
      } catch (err) {
        // Right after a failed start the daemon briefly still calls the instance running.
        if (attempt >= FORCE_DELETE_ATTEMPTS || !/Instance is running/.test((err as Error).message))
          throw err;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /**
   * Copies an instance (`source`: `<name>`) or one of its snapshots (`<name>/<snapshot>`) to a new
   * instance on the same server. With `instanceOnly` the source's snapshots are not copied.
   */
  copy(opts: {
    name: string;
    source: string;
    instanceOnly?: boolean;
    description?: string;
  }): Promise<Operation> {
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

  /**
   * Starts an instance and, if that fails, adds the error lines of its `lxc.log` to the error
   * (the operation only says `forkstart ... exit status 1`).
   */
  async startExplained(name: string): Promise<void> {
    const op = await this.start(name);
    try {
      await op.wait();
    } catch (err) {
      if (!(err instanceof IncusError)) throw err;
      const log = await this.lxcLog(name).catch(() => '');
      // The first errors lxc logged for this container carry the cause; the rest is fallout.
      const reasons = log
        .split('\n')
        .filter((line) => /^lxc \S+ \d+\.\d+ ERROR\b/.test(line))
        .map((line) => line.replace(/^.*?\bERROR\s+\S+ - \S+ - /, '').trim())
        .slice(0, 5);
      if (reasons.length > 0) err.message = `${err.message}\nlxc.log:\n  ${reasons.join('\n  ')}`;
      throw err;
    }
  }
}
