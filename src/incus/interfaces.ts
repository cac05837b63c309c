import type { Readable } from 'node:stream';
import type { EventListener, StreamState } from './events.js';
import type { ExecProcess, InteractiveExec } from './exec.js';
import type { ExecOptions, InteractiveOptions, RunOptions, RunResult } from './exec-types.js';
import type { PullTreeOptions, PushTreeOptions, TreeCopyResult } from './file-tree.js';
import type { FileStat, PullOptions, PushOptions, WriteOptions } from './file-types.js';
import type { SplitImportOptions } from './images.js';
import type { Image, ImageAliasEntry, ImageImportResult, PublishRequest } from './image-types.js';
import type {
  Instance,
  InstanceCreateOptions,
  InstanceFull,
  InstancePatch,
  InstancePut,
  InstanceSnapshot,
  InstanceState,
  InstanceStateRequest,
  SnapshotCreateOptions,
} from './instance-types.js';
import type { InstanceCopyOptions, InstanceFilter, StopOptions, Versioned } from './instances.js';
import type { Network, NetworkCreate, NetworkLease } from './networks.js';
import type { WaitOptions } from './operation.js';
import type { OperationProgress } from './operation-progress.js';
import type { Profile, ProfileCreate, ProfilePut } from './profiles.js';
import type { Server } from './server.js';
import type { StoragePool, StoragePoolCreate, StoragePoolResources } from './storage.js';
import type { OperationMetadata } from './types.js';

/**
 * Every method of the typed client, one interface per API group (as Incus's
 * `client/interfaces.go`). `core` and `security` depend on these, not on the classes, so their
 * orchestration can run against an in-memory fake in unit tests. The doc comments are on the
 * implementations.
 */

/** A background task on the daemon; `Operation` is the real one. */
export interface IncusOperation<M = Record<string, unknown> | null> {
  readonly id: string;
  readonly done: boolean;
  readonly metadata: OperationMetadata<M>;
  wait(opts?: WaitOptions): Promise<OperationMetadata<M>>;
  onProgress(listener: (progress: OperationProgress) => void): () => void;
  refresh(): Promise<OperationMetadata<M>>;
  cancel(): Promise<void>;
}

export interface InstancesService {
  names(filter?: InstanceFilter): Promise<string[]>;
  list(filter?: InstanceFilter): Promise<Instance[]>;
  listFull(filter?: InstanceFilter): Promise<InstanceFull[]>;
  get(name: string): Promise<Versioned<Instance>>;
  getFull(name: string): Promise<InstanceFull>;
  exists(name: string): Promise<boolean>;
  create(opts: InstanceCreateOptions): Promise<IncusOperation>;
  setState(name: string, request: InstanceStateRequest): Promise<IncusOperation>;
  start(name: string): Promise<IncusOperation>;
  stop(name: string, opts?: StopOptions): Promise<IncusOperation>;
  restart(name: string, opts?: StopOptions): Promise<IncusOperation>;
  freeze(name: string): Promise<IncusOperation>;
  unfreeze(name: string): Promise<IncusOperation>;
  delete(name: string): Promise<IncusOperation>;
  copy(opts: InstanceCopyOptions): Promise<IncusOperation>;
  rename(name: string, newName: string): Promise<IncusOperation>;
  patch(name: string, patch: InstancePatch, etag?: string): Promise<void>;
  put(name: string, instance: InstancePut, etag?: string): Promise<IncusOperation>;
  state(name: string): Promise<InstanceState>;
  lxcLog(name: string): Promise<string>;
}

export interface SnapshotsService {
  create(instance: string, opts?: SnapshotCreateOptions): Promise<IncusOperation>;
  names(instance: string): Promise<string[]>;
  list(instance: string): Promise<InstanceSnapshot[]>;
  get(instance: string, snapshot: string): Promise<InstanceSnapshot>;
  restore(instance: string, snapshot: string): Promise<IncusOperation>;
  rename(instance: string, snapshot: string, newName: string): Promise<IncusOperation>;
  delete(instance: string, snapshot: string): Promise<IncusOperation>;
}

export interface ExecService {
  start(instance: string, command: string[], opts?: ExecOptions): Promise<ExecProcess>;
  run(instance: string, command: string[], opts?: RunOptions): Promise<RunResult>;
  interactive(
    instance: string,
    command: string[],
    opts: InteractiveOptions,
  ): Promise<InteractiveExec>;
}

export interface FilesService {
  stat(instance: string, path: string): Promise<FileStat | undefined>;
  open(
    instance: string,
    path: string,
    opts?: PullOptions,
  ): Promise<{ stat: FileStat; body: Readable }>;
  pull(instance: string, path: string, opts?: PullOptions): Promise<Buffer>;
  list(instance: string, path: string): Promise<string[]>;
  push(
    instance: string,
    path: string,
    content: Buffer | string | Readable,
    opts?: PushOptions,
  ): Promise<void>;
  mkdir(instance: string, path: string, opts?: WriteOptions): Promise<void>;
  mkdirp(instance: string, path: string, opts?: Omit<WriteOptions, 'createParents'>): Promise<void>;
  symlink(instance: string, path: string, target: string, opts?: WriteOptions): Promise<void>;
  remove(instance: string, path: string): Promise<void>;
}

export interface FileTreeService {
  push(
    instance: string,
    hostDir: string,
    containerDir: string,
    opts?: PushTreeOptions,
  ): Promise<TreeCopyResult>;
  pull(
    instance: string,
    containerDir: string,
    hostDir: string,
    opts?: PullTreeOptions,
  ): Promise<TreeCopyResult>;
}

export interface ImagesService {
  list(): Promise<Image[]>;
  get(fingerprint: string): Promise<Image>;
  aliases(): Promise<ImageAliasEntry[]>;
  getAlias(name: string): Promise<ImageAliasEntry>;
  findByAlias(name: string): Promise<Image | undefined>;
  exists(nameOrFingerprint: string): Promise<boolean>;
  createAlias(name: string, target: string, description?: string): Promise<void>;
  deleteAlias(name: string): Promise<void>;
  importSplit(
    metadataPath: string,
    rootfsPath: string,
    opts?: SplitImportOptions,
  ): Promise<IncusOperation<ImageImportResult>>;
  publish(request: PublishRequest): Promise<IncusOperation<ImageImportResult>>;
  delete(fingerprint: string): Promise<IncusOperation>;
}

export interface StoragePoolsService {
  list(): Promise<StoragePool[]>;
  get(name: string): Promise<StoragePool>;
  find(name: string): Promise<StoragePool | undefined>;
  create(pool: StoragePoolCreate): Promise<void>;
  delete(name: string): Promise<void>;
  resources(name: string): Promise<StoragePoolResources>;
}

export interface NetworksService {
  list(): Promise<Network[]>;
  get(name: string): Promise<Network>;
  find(name: string): Promise<Network | undefined>;
  leases(name: string): Promise<NetworkLease[]>;
  create(network: NetworkCreate): Promise<void>;
  patchConfig(name: string, config: Record<string, string>): Promise<void>;
  delete(name: string): Promise<void>;
}

export interface ProfilesService {
  list(): Promise<Profile[]>;
  get(name: string): Promise<Profile & { etag: string | undefined }>;
  find(name: string): Promise<Profile | undefined>;
  create(profile: ProfileCreate): Promise<void>;
  put(name: string, profile: ProfilePut, etag?: string): Promise<void>;
  delete(name: string): Promise<void>;
}

export interface ServerService {
  get(): Promise<Server & { etag: string | undefined }>;
  patchConfig(config: Record<string, string>): Promise<void>;
}

/** The part of the events stream that `core` and `security` use: listening. */
export interface EventsService {
  readonly state: StreamState;
  subscribe(listener: EventListener): () => void;
  onStateChange(listener: (state: StreamState) => void): () => void;
}

/** The whole client as `core` and `security` see it; `Incus` is the real one. */
export interface IncusApi {
  readonly instances: InstancesService;
  readonly snapshots: SnapshotsService;
  readonly exec: ExecService;
  readonly files: FilesService;
  readonly fileTree: FileTreeService;
  readonly images: ImagesService;
  readonly storagePools: StoragePoolsService;
  readonly networks: NetworksService;
  readonly profiles: ProfilesService;
  readonly server: ServerService;
  readonly events: EventsService;
  connect(): Promise<void>;
  close(): Promise<void>;
}
