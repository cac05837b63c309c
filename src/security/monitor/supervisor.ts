import {
  IncusNotFoundError,
  isLifecycle,
  type IncusApi,
  type IncusEvent,
  type Instance,
} from '../../incus/index.js';
import { isEphemeralSession, readCoiKeys } from '../../shared/instance-keys.js';
import { coiLifecycle } from './coi-lifecycle.js';

/**
 * What the supervision of coi's sessions does, given by the layer that knows sessions (the
 * monitor daemon's command wires core's session handling in; security never imports it).
 */
export interface SupervisionHooks {
  /**
   * An ephemeral session's container powered itself off: save the session, delete it. `waited-on`
   * when a live process still waits on it and ends it itself: asked again until that is done (the
   * container is gone or runs again), or the process went away without doing it.
   */
  sessionEnded(container: string): Promise<'done' | 'waited-on'>;
  /** A coi container stopped or was deleted, whoever did it: release what it held on the host. */
  containerDown(container: string, how: 'stopped' | 'deleted'): Promise<void>;
  /** Events may have been missed (start-up, a reconnect): the same for containers gone meanwhile. */
  resync(): Promise<void>;
}

/**
 * A stop the container did itself (`poweroff` inside, `max_duration`, its init exiting): Incus
 * reports it as a shutdown nobody asked for. A stop through the API is a shutdown (graceful) or
 * a stop (forced) with the requestor; a reboot inside is `instance-restarted` alone.
 */
export function endedFromInside(event: IncusEvent): boolean {
  return isLifecycle(event, 'instance-shutdown') && !event.metadata.requestor;
}

/** Still stopped, and coi launched it as an ephemeral session: its supervision ends it. */
export function endsWithItsSession(instance: Pick<Instance, 'status' | 'config'>): boolean {
  return instance.status === 'Stopped' && isEphemeralSession(readCoiKeys(instance.config));
}

const RECHECK_MS = 1000;

export interface SupervisorOptions {
  incus: Pick<IncusApi, 'instances'>;
  prefix: string;
  hooks: SupervisionHooks;
  log: (message: string) => void;
  /** How long to wait before asking again about a session a process waits on (ms). */
  recheckMs?: number;
}

/**
 * Supervises the sessions of every coi container from Incus's lifecycle events: each stop or
 * deletion releases what the container held, and an ephemeral session that powered itself off is
 * ended. A container's events are handled one after the other, in order.
 */
export class SessionSupervisor {
  private readonly queues = new Map<string, Promise<void>>();
  /** Sessions that could not be ended: left to `coi clean` rather than retried at every stop. */
  private readonly failed = new Set<string>();
  private readonly rechecks = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly opts: SupervisorOptions) {}

  onEvent(event: IncusEvent): void {
    if (event.type === 'gap') return this.resync();
    const change = coiLifecycle(event, this.opts.prefix);
    if (!change || (change.kind !== 'stopped' && change.kind !== 'deleted')) return;
    const { name, kind } = change;
    if (kind === 'deleted') this.failed.delete(name);
    const inside = endedFromInside(event);
    this.queue(name, () => this.handle(name, kind, inside));
  }

  resync(): void {
    this.queue('', () =>
      this.opts.hooks
        .resync()
        .catch((err: Error) => this.opts.log(`supervision resync failed: ${err.message}`)),
    );
  }

  /** Resolves once the work of every event received so far is done (rechecks aside). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all(this.queues.values());
  }

  /** No more rechecks; resolves once the work in progress is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.rechecks.values()) clearTimeout(timer);
    this.rechecks.clear();
    await this.idle();
  }

  private async handle(name: string, how: 'stopped' | 'deleted', inside: boolean): Promise<void> {
    const { hooks, log } = this.opts;
    await hooks
      .containerDown(name, how)
      .catch((err: Error) =>
        log(`${name} went down; releasing its host state failed: ${err.message}`),
      );
    // A recheck already pending asks again anyway.
    if (inside && !this.rechecks.has(name)) await this.endSession(name, true);
  }

  private async endSession(name: string, first: boolean): Promise<void> {
    const { hooks, log } = this.opts;
    if (this.failed.has(name) || !(await this.sessionToEnd(name))) return;
    try {
      if ((await hooks.sessionEnded(name)) === 'done' || this.stopped) return;
      if (first) log(`${name} powered itself off: left to the coi process that waits on it`);
      const timer = setTimeout(() => {
        this.rechecks.delete(name);
        this.queue(name, () => this.endSession(name, false));
      }, this.opts.recheckMs ?? RECHECK_MS);
      timer.unref();
      this.rechecks.set(name, timer);
    } catch (err) {
      this.failed.add(name);
      log(
        `${name} powered itself off; ending its session failed: ${(err as Error).message} (\`coi clean\` offers it again)`,
      );
    }
  }

  private async sessionToEnd(name: string): Promise<boolean> {
    try {
      return endsWithItsSession((await this.opts.incus.instances.get(name)).value);
    } catch (err) {
      if (err instanceof IncusNotFoundError) return false;
      this.opts.log(`${name} powered itself off but cannot be read: ${(err as Error).message}`);
      return false;
    }
  }

  private queue(key: string, work: () => Promise<void>): void {
    const next = (this.queues.get(key) ?? Promise.resolve()).then(work);
    this.queues.set(key, next);
    void next.then(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    });
  }
}
