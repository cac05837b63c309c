import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { errorFromEnvelope, IncusError } from '../../src/incus/errors.js';
import type { EventListener, StreamState } from '../../src/incus/events.js';
import type {
  EventRequestor,
  IncusEvent,
  LifecycleAction,
  LifecycleEvent,
} from '../../src/incus/event-types.js';
import type { RunOptions, RunResult } from '../../src/incus/exec-types.js';
import type { FileStat, PullOptions, PushOptions } from '../../src/incus/file-types.js';
import type {
  DeviceMap,
  Instance,
  InstanceCreateOptions,
  InstanceFull,
  InstancePatch,
  InstancePut,
  InstanceSnapshot,
  InstanceState,
  InstanceStatus,
  SnapshotCreateOptions,
} from '../../src/incus/instance-types.js';
import type { InstanceCopyOptions, InstanceFilter, Versioned } from '../../src/incus/instances.js';
import type {
  EventsService,
  ExecService,
  FilesService,
  IncusApi,
  IncusOperation,
  InstancesService,
  NetworksService,
  SnapshotsService,
} from '../../src/incus/interfaces.js';
import type { Network, NetworkLease } from '../../src/incus/networks.js';
import type { OperationMetadata } from '../../src/incus/types.js';

/**
 * An instance a test starts with: Running unless told (what a session leaves), no devices
 * unless told.
 */
export interface SeededInstance {
  name: string;
  status?: InstanceStatus;
  config?: Record<string, string>;
  devices?: DeviceMap;
  /** Snapshot names, oldest first. */
  snapshots?: string[];
  /** File contents by absolute path, owned by root. */
  files?: Record<string, string>;
}

/** A managed network a test starts with, and the DHCP leases its dnsmasq has handed out. */
export interface SeededNetwork {
  name: string;
  config: Record<string, string>;
  leases?: string[];
}

/**
 * An in-memory Incus for unit tests of orchestration: instances and their snapshots, state changes
 * with the daemon's refusals (in its words, decoded by the real `errorFromEnvelope`), the
 * lifecycle events they cause, `exec.run` answered by the test's script, files, and networks with
 * their leases. Every operation has finished by the time it is returned. No profiles (expanded
 * config and devices are the instance's own), no DHCP (a running instance's state holds no
 * address), no ETags, no list filters; any other method rejects with "not supported by the fake".
 */
export class FakeIncus implements IncusApi {
  /**
   * Each call to `instances`, `snapshots`, `exec`, `files` or `networks` from outside, in order:
   * `"instances.start c1"`.
   */
  readonly calls: string[] = [];
  readonly events = new FakeEvents();
  private readonly store = new FakeInstances(this.events);
  private readonly networkStore = new FakeNetworks();
  readonly instances = this.recorded('instances', this.store);
  readonly snapshots = this.recorded('snapshots', new FakeSnapshots(this.store, this.events));
  readonly exec = this.recorded('exec', new FakeExec(this.store));
  readonly files = this.recorded('files', new FakeFiles(this.store));
  readonly fileTree = unsupported<IncusApi['fileTree']>('fileTree');
  readonly images = unsupported<IncusApi['images']>('images');
  readonly storagePools = unsupported<IncusApi['storagePools']>('storagePools');
  readonly networks = this.recorded('networks', this.networkStore);
  readonly profiles = unsupported<IncusApi['profiles']>('profiles');
  readonly server = unsupported<IncusApi['server']>('server');

  /** `seed` is there from the start: no calls, no events. */
  constructor(seed: SeededInstance[] = [], networks: SeededNetwork[] = []) {
    for (const instance of seed) this.store.seed(instance);
    for (const network of networks) this.networkStore.seed(network);
  }

  connect(): Promise<void> {
    this.events.setState('open');
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.events.setState('closed');
    return Promise.resolve();
  }

  /** `poweroff` inside: Stopped, and a shutdown nobody asked the API for (not a logged call). */
  powerOffInside(name: string): void {
    this.store.powerOffInside(name);
  }

  /** Logs each call made through it; the fake's calls to itself go around it, unlogged. */
  private recorded<T extends object>(service: string, target: T): T {
    return new Proxy(target, {
      get: (_target, method) => {
        const value: unknown = Reflect.get(target, method);
        if (typeof value !== 'function' || typeof method !== 'string') return value;
        return (...args: unknown[]) => {
          const name = typeof args[0] === 'string' ? ` ${args[0]}` : '';
          this.calls.push(`${service}.${method}${name}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }
}

function notSupported(what: string): () => Promise<never> {
  return () => Promise.reject(new Error(`${what} is not supported by the fake`));
}

function unsupported<T extends object>(group: string): T {
  return new Proxy({} as T, {
    get: (_target, prop) =>
      typeof prop === 'string' && prop !== 'then' ? notSupported(`${group}.${prop}`) : undefined,
  });
}

/** A finished operation; `failure` is the daemon's `err` of a failed one. */
function finished(description: string, failure?: string): IncusOperation {
  const now = new Date().toISOString();
  const metadata: OperationMetadata = {
    id: randomUUID(),
    class: 'task',
    description,
    created_at: now,
    updated_at: now,
    status: failure ? 'Failure' : 'Success',
    status_code: failure ? 400 : 200,
    resources: null,
    metadata: null,
    may_cancel: false,
    err: failure ?? '',
    location: 'none',
  };
  return {
    id: metadata.id,
    done: true,
    metadata,
    wait: () =>
      failure
        ? Promise.reject(errorFromEnvelope(failure, metadata.status_code, metadata))
        : Promise.resolve(metadata),
    onProgress: () => () => undefined,
    refresh: () => Promise.resolve(metadata),
    cancel: () => Promise.resolve(),
  };
}

/** A request the daemon refuses before starting an operation (HTTP `code`). */
function refused(message: string, code: number): Promise<never> {
  return Promise.reject(errorFromEnvelope(message, code));
}

const STATUS_CODES: Record<string, number> = { Running: 103, Stopped: 102, Frozen: 110 };
/**
 * Init PIDs of started instances count up from 2^22 + 1: pid_max can be at most 2^22, so no host
 * process has one, and whatever reads /proc/<pid> (the monitor's canaries and I/O) finds nothing.
 */
const FIRST_INIT_PID = 2 ** 22 + 1;
const NAME_TAKEN = 'UNIQUE constraint failed: instances.project_id, instances.name';

type InstanceFields = Omit<InstancePut, 'architecture' | 'stateful'> & Pick<Instance, 'type'>;

/** Who asks, for every change made through the fake's API (as Incus reports a local client). */
const API_REQUESTOR: EventRequestor = { username: 'root', protocol: 'unix', address: '@' };

export class FakeEvents implements EventsService {
  state: StreamState = 'idle';
  /** Set while disconnected: when the stream broke. */
  private lostSince: string | undefined;
  private readonly listeners = new Set<EventListener>();
  private readonly stateListeners = new Set<(state: StreamState) => void>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStateChange(listener: (state: StreamState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  setState(state: StreamState): void {
    this.state = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }

  /** The stream breaks: events from now on are lost until `reconnect`. */
  disconnect(): void {
    this.lostSince = new Date().toISOString();
    this.setState('reconnecting');
  }

  /** The stream is back, and says so with a gap event as the real one does on each reconnect. */
  reconnect(): void {
    const since = this.lostSince ?? new Date().toISOString();
    this.lostSince = undefined;
    this.setState('open');
    this.deliver({ type: 'gap', since, until: new Date().toISOString(), reason: 'disconnected' });
  }

  /**
   * Delivered on a later microtask, never inside the call that caused it (as from the stream).
   * The requestor is the API client's, or null for what the instance did itself.
   */
  lifecycle(
    action: LifecycleAction,
    source: string,
    requestor: EventRequestor | null = API_REQUESTOR,
  ): void {
    if (this.lostSince !== undefined) return;
    const event: LifecycleEvent = {
      type: 'lifecycle',
      timestamp: new Date().toISOString(),
      location: 'none',
      project: 'default',
      metadata: { action, source, project: 'default', requestor, context: null },
    };
    this.deliver(event);
  }

  private deliver(event: IncusEvent): void {
    queueMicrotask(() => {
      for (const listener of [...this.listeners]) listener(event);
    });
  }
}

export class FakeInstances implements InstancesService {
  /** The instances by name, for tests to check outcomes on. */
  readonly all = new Map<string, Instance>();
  readonly snapshotsOf = new Map<string, InstanceSnapshot[]>();
  /** Each instance's files by absolute path (no directories; not kept in snapshots or copies). */
  readonly filesOf = new Map<string, Map<string, StoredFile>>();
  /** Host PID of the init of each running or frozen instance; a new one on every start. */
  private readonly initPids = new Map<string, number>();
  private nextInitPid = FIRST_INIT_PID;

  constructor(private readonly events: FakeEvents) {}

  names(filter?: InstanceFilter): Promise<string[]> {
    return this.list(filter).then((list) => list.map((i) => i.name));
  }

  list(filter?: InstanceFilter): Promise<Instance[]> {
    if (filter !== undefined) return notSupported('instances.list with a filter')();
    return Promise.resolve([...this.all.values()].map((i) => structuredClone(i)));
  }

  async listFull(filter?: InstanceFilter): Promise<InstanceFull[]> {
    return Promise.all((await this.list(filter)).map((i) => this.getFull(i.name)));
  }

  async get(name: string): Promise<Versioned<Instance>> {
    return { value: structuredClone(await this.find(name)), etag: '' };
  }

  async getFull(name: string): Promise<InstanceFull> {
    const instance = await this.find(name);
    const snapshots = this.snapshotsOf.get(name) ?? [];
    return {
      ...structuredClone(instance),
      state: stateOf(instance.status, this.initPids.get(name)),
      snapshots: snapshots.length > 0 ? structuredClone(snapshots) : null,
      backups: null,
    };
  }

  exists(name: string): Promise<boolean> {
    return Promise.resolve(this.all.has(name));
  }

  create(opts: InstanceCreateOptions): Promise<IncusOperation> {
    if (this.all.has(opts.name)) return Promise.resolve(finished('Creating instance', NAME_TAKEN));
    this.add(opts.name, {
      type: opts.type ?? 'container',
      config: opts.config ?? {},
      devices: opts.devices ?? {},
      profiles: opts.profiles ?? ['default'],
      ephemeral: opts.ephemeral ?? false,
      description: opts.description ?? '',
    });
    if (opts.start) this.setStatus(opts.name, 'Running', 'instance-started');
    return Promise.resolve(finished('Creating instance'));
  }

  setState: InstancesService['setState'] = notSupported('instances.setState');

  async start(name: string): Promise<IncusOperation> {
    const { status } = await this.find(name);
    if (status !== 'Stopped')
      return finished('Starting instance', 'The instance is already running');
    this.setStatus(name, 'Running', 'instance-started');
    return finished('Starting instance');
  }

  /** Clean or forced alike; an ephemeral instance is deleted once stopped. */
  async stop(name: string): Promise<IncusOperation> {
    const instance = await this.find(name);
    if (instance.status === 'Stopped')
      return finished('Stopping instance', 'The instance is already stopped');
    this.setStatus(name, 'Stopped', 'instance-stopped');
    if (instance.ephemeral) this.remove(name);
    return finished('Stopping instance');
  }

  restart: InstancesService['restart'] = notSupported('instances.restart');

  async freeze(name: string): Promise<IncusOperation> {
    const { status } = await this.find(name);
    if (status === 'Stopped') return finished('Freezing instance', "The instance isn't running");
    if (status === 'Frozen')
      return finished('Freezing instance', 'The container is already frozen');
    this.setStatus(name, 'Frozen', 'instance-paused');
    return finished('Freezing instance');
  }

  async unfreeze(name: string): Promise<IncusOperation> {
    const { status } = await this.find(name);
    if (status === 'Stopped') return finished('Unfreezing instance', "The container isn't running");
    if (status === 'Running')
      return finished('Unfreezing instance', 'The container is already running');
    this.setStatus(name, 'Running', 'instance-resumed');
    return finished('Unfreezing instance');
  }

  async delete(name: string): Promise<IncusOperation> {
    const { status } = await this.find(name);
    if (status !== 'Stopped') return refused('Instance is running', 400);
    this.remove(name);
    return finished('Deleting instance');
  }

  async copy(opts: InstanceCopyOptions): Promise<IncusOperation> {
    const [from, snapshot] = opts.source.split('/') as [string, string | undefined];
    const source = await this.find(from);
    const snapshots = this.snapshotsOf.get(from) ?? [];
    const state = snapshot === undefined ? source : snapshots.find((s) => s.name === snapshot);
    if (!state) return refused('Instance snapshot not found', 404);
    if (this.all.has(opts.name)) return finished('Creating instance', NAME_TAKEN);
    this.add(opts.name, {
      type: source.type,
      config: state.config,
      devices: state.devices,
      profiles: state.profiles,
      ephemeral: state.ephemeral,
      description: opts.description ?? '',
    });
    if (!opts.instanceOnly && snapshot === undefined)
      this.snapshotsOf.set(opts.name, structuredClone(snapshots));
    return finished('Creating instance');
  }

  rename: InstancesService['rename'] = notSupported('instances.rename');

  async patch(name: string, patch: InstancePatch, etag?: string): Promise<void> {
    if (etag !== undefined) return notSupported('instances.patch with an ETag')();
    const instance = await this.find(name);
    for (const [key, value] of Object.entries(patch.config ?? {})) {
      if (value === '') delete instance.config[key];
      else instance.config[key] = value;
    }
    Object.assign(instance.devices, structuredClone(patch.devices ?? {}));
    if (patch.profiles) instance.profiles = [...patch.profiles];
    if (patch.ephemeral !== undefined) instance.ephemeral = patch.ephemeral;
    if (patch.description !== undefined) instance.description = patch.description;
    instance.expanded_config = { ...instance.config };
    instance.expanded_devices = structuredClone(instance.devices);
    this.events.lifecycle('instance-updated', instanceSource(name));
  }

  /** Replaces what the caller may set; devices left out are removed, as Incus does. */
  async put(name: string, put: InstancePut, etag?: string): Promise<IncusOperation> {
    if (etag !== undefined) return notSupported('instances.put with an ETag')();
    const instance = await this.find(name);
    Object.assign(instance, structuredClone(put));
    instance.expanded_config = { ...instance.config };
    instance.expanded_devices = structuredClone(instance.devices);
    this.events.lifecycle('instance-updated', instanceSource(name));
    return finished('Updating instance');
  }

  async state(name: string): Promise<InstanceState> {
    return stateOf((await this.find(name)).status, this.initPids.get(name));
  }

  lxcLog: InstancesService['lxcLog'] = notSupported('instances.lxcLog');

  /** The stored instance itself (not a copy), or the daemon's 404. */
  find(name: string): Promise<Instance> {
    const instance = this.all.get(name);
    return instance ? Promise.resolve(instance) : refused('Instance not found', 404);
  }

  powerOffInside(name: string): void {
    const instance = this.all.get(name)!;
    instance.config['volatile.last_state.power'] = 'STOPPED';
    instance.status = 'Stopped';
    instance.status_code = STATUS_CODES.Stopped!;
    this.events.lifecycle('instance-shutdown', instanceSource(name), null);
  }

  seed({
    name,
    status = 'Running',
    config = {},
    devices = {},
    snapshots = [],
    files = {},
  }: SeededInstance): void {
    const instance = this.insert(name, {
      type: 'container',
      config,
      devices,
      profiles: ['default'],
      ephemeral: false,
      description: '',
    });
    instance.status = status;
    instance.status_code = STATUS_CODES[status]!;
    if (status !== 'Stopped') this.initPids.set(name, this.nextInitPid++);
    this.snapshotsOf.set(
      name,
      snapshots.map((snapshot) => snapshotOf(instance, snapshot)),
    );
    const stored = Object.entries(files).map(
      ([path, content]) => [path, storedFile(content, {})] as const,
    );
    this.filesOf.set(name, new Map(stored));
  }

  private add(name: string, fields: InstanceFields): void {
    this.insert(name, fields);
    this.events.lifecycle('instance-created', instanceSource(name));
  }

  private insert(name: string, fields: InstanceFields): Instance {
    const now = new Date().toISOString();
    const config = { ...fields.config };
    const devices = structuredClone(fields.devices);
    const instance: Instance = {
      ...fields,
      name,
      status: 'Stopped',
      status_code: STATUS_CODES.Stopped!,
      architecture: 'x86_64',
      stateful: false,
      config,
      devices,
      profiles: [...fields.profiles],
      created_at: now,
      last_used_at: now,
      location: 'none',
      project: 'default',
      expanded_config: { ...config },
      expanded_devices: structuredClone(devices),
    };
    this.all.set(name, instance);
    return instance;
  }

  private setStatus(name: string, status: InstanceStatus, action: LifecycleAction): void {
    const instance = this.all.get(name)!;
    if (instance.status === 'Stopped') this.initPids.set(name, this.nextInitPid++);
    if (status === 'Stopped') this.initPids.delete(name);
    instance.status = status;
    instance.status_code = STATUS_CODES[status]!;
    this.events.lifecycle(action, instanceSource(name));
  }

  private remove(name: string): void {
    this.all.delete(name);
    this.snapshotsOf.delete(name);
    this.filesOf.delete(name);
    this.events.lifecycle('instance-deleted', instanceSource(name));
  }
}

export class FakeSnapshots implements SnapshotsService {
  constructor(
    private readonly instances: FakeInstances,
    private readonly events: FakeEvents,
  ) {}

  async create(instance: string, opts: SnapshotCreateOptions = {}): Promise<IncusOperation> {
    if (opts.stateful) return notSupported('stateful snapshots')();
    const source = await this.instances.find(instance);
    const taken = await this.list(instance);
    let n = taken.length;
    while (taken.some((s) => s.name === `snap${n}`)) n++;
    const name = opts.name ?? `snap${n}`;
    if (taken.some((s) => s.name === name))
      return finished('Snapshotting instance', `Snapshot "${name}" already exists`);
    taken.push(snapshotOf(source, name, opts.expiresAt));
    this.instances.snapshotsOf.set(instance, taken);
    this.events.lifecycle('instance-snapshot-created', snapshotSource(instance, name));
    return finished('Snapshotting instance');
  }

  async names(instance: string): Promise<string[]> {
    return (await this.list(instance)).map((s) => s.name);
  }

  async list(instance: string): Promise<InstanceSnapshot[]> {
    await this.instances.find(instance);
    return this.instances.snapshotsOf.get(instance) ?? [];
  }

  async get(instance: string, snapshot: string): Promise<InstanceSnapshot> {
    const found = (await this.list(instance)).find((s) => s.name === snapshot);
    return found ? structuredClone(found) : refused('Instance snapshot not found', 404);
  }

  restore: SnapshotsService['restore'] = notSupported('snapshots.restore');
  rename: SnapshotsService['rename'] = notSupported('snapshots.rename');

  async delete(instance: string, snapshot: string): Promise<IncusOperation> {
    const taken = await this.list(instance);
    const at = taken.findIndex((s) => s.name === snapshot);
    if (at < 0) return refused('Instance snapshot not found', 404);
    taken.splice(at, 1);
    this.events.lifecycle('instance-snapshot-deleted', snapshotSource(instance, snapshot));
    return finished('Deleting snapshot');
  }
}

/** Answers a command run in an instance; `undefined` leaves the command unsupported. */
export type ExecScript = (
  instance: string,
  command: string[],
  opts: RunOptions,
) => RunResult | undefined;

export function runResult(exitCode: number, stdout = '', stderr = ''): RunResult {
  return { exitCode, stdout: Buffer.from(stdout), stderr: Buffer.from(stderr) };
}

export class FakeExec implements ExecService {
  private script: ExecScript = () => undefined;

  constructor(private readonly instances: FakeInstances) {}

  /** What `run` answers from now on. */
  answer(script: ExecScript): void {
    this.script = script;
  }

  async run(instance: string, command: string[], opts: RunOptions = {}): Promise<RunResult> {
    const { status } = await this.instances.find(instance);
    if (status === 'Stopped') return refused('Instance is not running', 400);
    if (status === 'Frozen') return refused('Instance is frozen', 400);
    const result = this.script(instance, command, opts);
    return result ?? notSupported(`exec.run of \`${command.join(' ')}\``)();
  }

  start: ExecService['start'] = notSupported('exec.start');
  interactive: ExecService['interactive'] = notSupported('exec.interactive');
}

export interface StoredFile {
  content: Buffer;
  uid: number;
  gid: number;
  mode: number;
}

function storedFile(content: Buffer | string, opts: PushOptions): StoredFile {
  return {
    content: Buffer.from(content),
    uid: opts.uid ?? 0,
    gid: opts.gid ?? 0,
    mode: opts.mode ?? 0o644,
  };
}

/**
 * Regular files only, at absolute paths: no directories (a parent always exists), no streams.
 * Files can be read and written in a stopped instance too, as with Incus.
 */
export class FakeFiles implements FilesService {
  constructor(private readonly instances: FakeInstances) {}

  /** Undefined for a missing file, or instance: the daemon answers 404 to both. */
  stat(instance: string, path: string): Promise<FileStat | undefined> {
    const file = this.instances.filesOf.get(instance)?.get(path);
    return Promise.resolve(
      file && { type: 'file', uid: file.uid, gid: file.gid, mode: file.mode, modified: '' },
    );
  }

  async pull(instance: string, path: string, opts: PullOptions = {}): Promise<Buffer> {
    await this.instances.find(instance);
    const file = this.instances.filesOf.get(instance)?.get(path);
    if (!file) return refused(`cannot read ${path} in ${instance}: Not Found`, 404);
    if (opts.maxBytes !== undefined && file.content.length > opts.maxBytes) {
      const message = `${instance}:${path} is larger than the ${opts.maxBytes} bytes expected; refusing to read on`;
      return Promise.reject(new IncusError(message, 413));
    }
    return Buffer.from(file.content);
  }

  async push(
    instance: string,
    path: string,
    content: Buffer | string | Readable,
    opts: PushOptions = {},
  ): Promise<void> {
    if (typeof content !== 'string' && !Buffer.isBuffer(content))
      return notSupported('files.push of a stream')();
    if (opts.append) return notSupported('files.push with append')();
    await this.instances.find(instance);
    const files = this.instances.filesOf.get(instance) ?? new Map<string, StoredFile>();
    const old = files.get(path);
    // An overwritten file keeps its owner and mode unless told.
    files.set(path, storedFile(content, { ...old, ...opts }));
    this.instances.filesOf.set(instance, files);
  }

  open: FilesService['open'] = notSupported('files.open');
  list: FilesService['list'] = notSupported('files.list');
  mkdir: FilesService['mkdir'] = notSupported('files.mkdir');
  mkdirp: FilesService['mkdirp'] = notSupported('files.mkdirp');
  symlink: FilesService['symlink'] = notSupported('files.symlink');
  remove: FilesService['remove'] = notSupported('files.remove');
}

/** Managed networks as seeded: read-only, with the DHCP leases seeded for them. */
export class FakeNetworks implements NetworksService {
  private readonly networks = new Map<string, { network: Network; leases: NetworkLease[] }>();

  seed({ name, config, leases = [] }: SeededNetwork): void {
    const network: Network = {
      name,
      type: 'bridge',
      managed: true,
      description: '',
      config: { ...config },
      status: 'Created',
      used_by: null,
    };
    this.networks.set(name, {
      network,
      leases: leases.map((address, n) => ({
        hostname: `lease${n}`,
        hwaddr: `00:16:3e:00:00:${n.toString(16).padStart(2, '0')}`,
        address,
        type: 'dynamic',
      })),
    });
  }

  list(): Promise<Network[]> {
    return Promise.resolve([...this.networks.values()].map((n) => structuredClone(n.network)));
  }

  async get(name: string): Promise<Network> {
    return structuredClone((await this.entry(name)).network);
  }

  find(name: string): Promise<Network | undefined> {
    return Promise.resolve(structuredClone(this.networks.get(name)?.network));
  }

  async leases(name: string): Promise<NetworkLease[]> {
    return structuredClone((await this.entry(name)).leases);
  }

  create: NetworksService['create'] = notSupported('networks.create');
  patchConfig: NetworksService['patchConfig'] = notSupported('networks.patchConfig');
  delete: NetworksService['delete'] = notSupported('networks.delete');

  private entry(name: string): Promise<{ network: Network; leases: NetworkLease[] }> {
    const entry = this.networks.get(name);
    return entry ? Promise.resolve(entry) : refused('Network not found', 404);
  }
}

function snapshotOf(instance: Instance, name: string, expiresAt?: Date): InstanceSnapshot {
  const { config, devices, profiles, ephemeral, architecture } = instance;
  const now = new Date().toISOString();
  return {
    name,
    created_at: now,
    expires_at: expiresAt?.toISOString() ?? '0001-01-01T00:00:00Z',
    last_used_at: now,
    stateful: false,
    size: -1,
    architecture,
    config: { ...config },
    devices: structuredClone(devices),
    expanded_config: { ...config },
    expanded_devices: structuredClone(devices),
    profiles: [...profiles],
    ephemeral,
  };
}

function instanceSource(name: string): string {
  return `/1.0/instances/${encodeURIComponent(name)}`;
}

function snapshotSource(instance: string, snapshot: string): string {
  return `${instanceSource(instance)}/snapshots/${encodeURIComponent(snapshot)}`;
}

function stateOf(status: InstanceStatus, initPid = 0): InstanceState {
  const running = status !== 'Stopped';
  return {
    status,
    status_code: STATUS_CODES[status] ?? 0,
    disk: null,
    memory: { usage: 0, usage_peak: 0, total: 0, swap_usage: 0, swap_usage_peak: 0 },
    network: running ? {} : null,
    pid: initPid,
    processes: running ? 1 : 0,
    cpu: { usage: 0 },
  };
}
