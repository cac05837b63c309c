import type { IncusApi } from '../../incus/index.js';
import type { IncusEvent } from '../../incus/event-types.js';
import type { InstanceFull } from '../../incus/instance-types.js';
import { coiLifecycle } from '../../security/monitor/coi-lifecycle.js';
import { toCoiContainer } from '../../shared/coi-container.js';
import { portLabel } from '../../shared/published-ports.js';
import { MetricsCalculator } from './metrics.js';
import type { RoomSink, RoomSlot } from './types.js';

export interface FeedOptions {
  prefix: string;
  /** Pause between metric polls (each poll is one request for every instance). */
  metricsIntervalMs?: number;
}

const STATE: Record<string, RoomSlot['state']> = {
  Running: 'running',
  Frozen: 'frozen',
  Stopped: 'stopped',
  Starting: 'starting',
};

export function roomSlot(instance: InstanceFull, prefix: string): RoomSlot | undefined {
  const c = instance.config ? toCoiContainer(instance, prefix) : undefined;
  if (!c) return undefined;
  const started = instance.state?.started_at ? Date.parse(instance.state.started_at) : NaN;
  return {
    name: c.name,
    workspace: c.workspace,
    slot: c.slot,
    state: STATE[instance.status] ?? 'starting',
    frozenByThreat: instance.status === 'Frozen' && c.frozenBy === 'threat',
    tool: c.tool,
    persistent: c.persistent,
    ...(c.ipv4 ? { ipv4: c.ipv4 } : {}),
    ...(c.ports.length ? { ports: c.ports.map(portLabel) } : {}),
    ...(started > 0 ? { startedAt: started } : {}),
    codeUser: c.codeUser,
  };
}

/**
 * Keeps the control room's picture of the coi containers current: lifecycle events update single
 * containers at once, a reconnect (gap) or a daemon that went away triggers a full resync, and one
 * poll loop that never overlaps itself reads the state of all containers for the metrics.
 */
export class InstanceFeed {
  private readonly metrics = new MetricsCalculator();
  private known = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly incus: IncusApi,
    private readonly sink: RoomSink,
    private readonly opts: FeedOptions,
  ) {}

  async start(): Promise<void> {
    this.sink.setConnection({ state: 'connecting' });
    this.unsubscribe.push(this.incus.events.subscribe((e) => this.onEvent(e)));
    this.unsubscribe.push(
      this.incus.events.onStateChange((state) => {
        if (state === 'open') this.sink.setConnection({ state: 'connected' });
        if (state === 'reconnecting')
          this.sink.setConnection({ state: 'retrying', attempt: 1, error: 'Incus unreachable' });
      }),
    );
    await this.incus.connect().catch((err: Error) => {
      this.sink.setConnection({ state: 'retrying', attempt: 1, error: err.message });
    });
    await this.requestPoll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const u of this.unsubscribe) u();
  }

  private onEvent(event: IncusEvent): void {
    if (event.type === 'gap') {
      void this.requestPoll();
      return;
    }
    const change = coiLifecycle(event, this.opts.prefix);
    if (!change) return;
    if (change.kind === 'deleted') {
      this.known.delete(change.name);
      this.sink.removeInstance(change.name);
      return;
    }
    void this.refreshOne(change.name);
  }

  private async refreshOne(name: string): Promise<void> {
    try {
      const slot = roomSlot(await this.incus.instances.getFull(name), this.opts.prefix);
      if (slot) {
        this.known.add(name);
        this.sink.upsertInstance(slot);
      }
    } catch {
      // Gone between the event and the read: its deletion event follows.
    }
  }

  /** Polls now, or right after the poll under way: polls never overlap. */
  private requestPoll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return this.polling;
    }
    clearTimeout(this.timer);
    this.polling = this.poll().finally(() => {
      this.polling = undefined;
      if (this.stopped) return;
      if (this.pollAgain) {
        this.pollAgain = false;
        void this.requestPoll();
      } else {
        this.timer = setTimeout(() => void this.requestPoll(), this.opts.metricsIntervalMs ?? 2000);
      }
    });
    return this.polling;
  }

  /** One request for every instance: states, a resync of the list, and the metrics batch. */
  private async poll(): Promise<void> {
    try {
      const all = await this.incus.instances.listFull();
      const present = new Set<string>();
      const workspaces = new Set<string>();
      for (const instance of all) {
        if (!instance.config && this.known.has(instance.name)) {
          // Mid-shutdown the daemon lists it without config for a moment: keep what we showed.
          present.add(instance.name);
          continue;
        }
        const slot = roomSlot(instance, this.opts.prefix);
        if (!slot) continue;
        present.add(slot.name);
        workspaces.add(slot.workspace);
        this.sink.upsertInstance(slot);
      }
      for (const name of this.known) if (!present.has(name)) this.sink.removeInstance(name);
      this.known = present;
      this.sink.setWorkspaces([...workspaces]);
      this.sink.setMetrics(this.metrics.sample(all.filter((i) => present.has(i.name))));
      this.sink.setConnection({ state: 'connected' });
    } catch (err) {
      this.sink.setConnection({ state: 'retrying', attempt: 1, error: (err as Error).message });
    }
  }
}
