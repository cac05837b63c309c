import { IncusClient, type IncusClientOptions } from './client.js';
import { EventStream, type EventStreamOptions } from './events.js';
import { ExecApi } from './exec.js';
import { FileTreeApi } from './file-tree.js';
import { FilesApi } from './files.js';
import { ImagesApi } from './images.js';
import { InstancesApi } from './instances.js';
import type { IncusApi } from './interfaces.js';
import { NetworksApi } from './networks.js';
import { OperationTracker } from './operation-tracker.js';
import { ProfilesApi } from './profiles.js';
import { remoteClient, type RemoteClientOptions } from './remotes.js';
import { ServerApi } from './server.js';
import { SnapshotsApi } from './snapshots.js';
import { StoragePoolsApi } from './storage.js';

export * from './errors.js';
export * from './event-types.js';
export * from './instance-types.js';
export type * from './interfaces.js';
export type { OperationMetadata } from './types.js';
export type { OperationProgress } from './operation-progress.js';
export { IncusClient, EventStream, OperationTracker };
export { Operation } from './operation.js';
export { filterExpression, type FilterTerm } from './filter.js';
export { isLifecycle, eventInstance } from './events.js';

export interface IncusOptions {
  events?: EventStreamOptions;
}

/**
 * The typed Incus API in one object: `incus.instances.list()`, `incus.events.subscribe(...)`, …
 * One events websocket serves both the consumers of `events` and the operation tracker, so
 * after `connect()` every operation's outcome comes from the stream.
 */
export class Incus implements IncusApi {
  readonly events: EventStream;
  readonly operations: OperationTracker;
  readonly server: ServerApi;
  readonly instances: InstancesApi;
  readonly snapshots: SnapshotsApi;
  readonly exec: ExecApi;
  readonly files: FilesApi;
  readonly fileTree: FileTreeApi;
  readonly images: ImagesApi;
  readonly storagePools: StoragePoolsApi;
  readonly networks: NetworksApi;
  readonly profiles: ProfilesApi;

  constructor(
    readonly client: IncusClient,
    options: IncusOptions = {},
  ) {
    this.events = new EventStream(client, options.events);
    this.operations = new OperationTracker(this.events);
    client.trackOperations(this.operations);
    this.server = new ServerApi(client);
    this.instances = new InstancesApi(client);
    this.snapshots = new SnapshotsApi(client);
    this.exec = new ExecApi(client);
    this.files = new FilesApi(client);
    this.fileTree = new FileTreeApi(client);
    this.images = new ImagesApi(client);
    this.storagePools = new StoragePoolsApi(client);
    this.networks = new NetworksApi(client);
    this.profiles = new ProfilesApi(client);
  }

  /** The local daemon over its unix socket. */
  static local(options: IncusClientOptions & IncusOptions = {}): Incus {
    const { events, ...clientOptions } = options;
    return new Incus(IncusClient.local(clientOptions), { events });
  }

  /** A remote of the incus CLI's config (default: its default remote), over HTTPS. */
  static async remote(
    name?: string,
    options: RemoteClientOptions & IncusOptions = {},
  ): Promise<Incus> {
    const { events, ...clientOptions } = options;
    return new Incus(await remoteClient(name, clientOptions), { events });
  }

  /** Opens the events stream (rejects with IncusUnavailableError when the daemon is not there). */
  connect(): Promise<void> {
    return this.events.connect();
  }

  /** Closes the stream and the HTTP connections; nothing is left running. */
  async close(): Promise<void> {
    this.client.trackOperations(undefined);
    this.operations.detach();
    await this.events.close();
    await this.client.close();
  }
}
