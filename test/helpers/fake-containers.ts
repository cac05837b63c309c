import { IncusNotFoundError } from '../../src/incus/errors.js';
import type { RunResult } from '../../src/incus/exec-types.js';
import type {
  Instance,
  InstanceFull,
  InstancePatch,
  InstanceSnapshot,
  InstanceStatus,
  SnapshotCreateOptions,
} from '../../src/incus/instance-types.js';
import type { Operation } from '../../src/incus/operation.js';

/** One container of the fake: what the unit tests look at. */
export interface FakeContainer {
  name: string;
  status: InstanceStatus;
  config: Record<string, string>;
  snapshots: string[];
}

/** Answers the `exec.run` of a test: by default `id -u` fails and everything else succeeds. */
export type ExecHandler = (container: string, command: string[], uid?: number) => RunResult;

export function runResult(exitCode: number, stdout = '', stderr = ''): RunResult {
  return { exitCode, stdout: Buffer.from(stdout), stderr: Buffer.from(stderr) };
}

/** An operation that is already done (the fake acts at once). */
export function doneOperation(): Operation {
  return { wait: () => Promise.resolve({}) } as unknown as Operation;
}

/**
 * A small in-memory Incus for the parts the per-container operations use (instances, snapshots,
 * exec). Every call is recorded in `calls` as `"<api>.<method> <container>"`.
 */
export class FakeContainers {
  readonly calls: string[] = [];
  private readonly byName = new Map<string, FakeContainer>();

  constructor(
    containers: (Partial<FakeContainer> & { name: string })[],
    private readonly execHandler: ExecHandler = () => runResult(1),
  ) {
    for (const c of containers)
      this.byName.set(c.name, { status: 'Running', config: {}, snapshots: [], ...c });
  }

  container(name: string): FakeContainer {
    const c = this.byName.get(name);
    if (!c) throw new IncusNotFoundError(`Instance not found: ${name}`, 404);
    return c;
  }

  private call(what: string, name: string): FakeContainer {
    this.calls.push(`${what} ${name}`);
    return this.container(name);
  }

  private full(c: FakeContainer): InstanceFull {
    return {
      name: c.name,
      status: c.status,
      config: { ...c.config },
      created_at: '2026-01-01T00:00:00Z',
      expanded_devices: {},
      state: null,
    } as unknown as InstanceFull;
  }

  // async throughout: a missing container rejects, as the client does, instead of throwing.
  readonly instances = {
    get: async (name: string) => {
      const c = this.call('instances.get', name);
      return { value: this.full(c) as Instance, etag: '' };
    },
    listFull: async () => {
      this.calls.push('instances.listFull');
      return [...this.byName.values()].map((c) => this.full(c));
    },
    startExplained: async (name: string) => {
      this.call('instances.startExplained', name).status = 'Running';
    },
    freeze: async (name: string) => {
      this.call('instances.freeze', name).status = 'Frozen';
      return doneOperation();
    },
    unfreeze: async (name: string) => {
      this.call('instances.unfreeze', name).status = 'Running';
      return doneOperation();
    },
    patch: async (name: string, patch: InstancePatch) => {
      const c = this.call('instances.patch', name);
      for (const [key, value] of Object.entries(patch.config ?? {})) {
        if (value === '') delete c.config[key];
        else c.config[key] = value;
      }
    },
  };

  readonly snapshots = {
    names: async (name: string) => [...this.call('snapshots.names', name).snapshots],
    create: async (name: string, opts: SnapshotCreateOptions = {}) => {
      this.call('snapshots.create', name).snapshots.push(opts.name ?? 'snap0');
      return doneOperation();
    },
    get: async (name: string, snapshot: string) => {
      if (!this.call('snapshots.get', name).snapshots.includes(snapshot))
        throw new IncusNotFoundError(`Snapshot not found: ${snapshot}`, 404);
      return {
        name: snapshot,
        created_at: '2026-01-01T00:00:00Z',
        expires_at: '0001-01-01T00:00:00Z',
        stateful: false,
        size: -1,
        config: {},
      } as unknown as InstanceSnapshot;
    },
  };

  readonly exec = {
    run: async (name: string, command: string[], opts: { user?: number } = {}) => {
      this.call('exec.run', name);
      return this.execHandler(name, command, opts.user);
    },
  };
}
