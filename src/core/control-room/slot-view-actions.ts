import { isEphemeralSession, readCoiKeys } from '../../shared/instance-keys.js';
import { stopContainer } from '../container/lifecycle.js';
import { deleteSnapshot, restoreSnapshot, SnapshotError } from '../snapshot/snapshots.js';
import { killSlotProcess } from './slot-processes.js';
import { changeSlotAllowlist } from './slot-network.js';
import { watchSlotView, type SlotViewFeedOptions } from './slot-view-feed.js';
import type { SlotViewKind, SlotViewSink } from './slot-view-types.js';

/** The control room's per-slot views over core: their feeds and the actions taken in them. */
export class SlotViewActions {
  constructor(private readonly opts: SlotViewFeedOptions) {}

  watch(view: SlotViewKind, container: string, sink: SlotViewSink): () => void {
    return watchSlotView(this.opts, view, container, sink);
  }

  async killProcess(container: string, pid: number): Promise<void> {
    killSlotProcess(container, pid, { proc: this.opts.paths?.proc });
  }

  /**
   * Restores a snapshot; with `stopFirst` a running container is stopped for it (and left
   * stopped). An ephemeral session is never stopped for it: its supervision would end it.
   */
  async restoreSnapshot(container: string, snapshot: string, stopFirst: boolean): Promise<void> {
    const { incus } = this.opts;
    const { value } = await incus.instances.get(container);
    if (stopFirst && value.status !== 'Stopped') {
      if (isEphemeralSession(readCoiKeys(value.config)))
        throw new SnapshotError(
          `${container} is an ephemeral session: stopping it would end it; make it persistent first (\`coi persist ${container}\`)`,
        );
      await stopContainer(incus, container);
    }
    await restoreSnapshot(incus, container, snapshot);
  }

  /** Allows or blocks a name for a running allowlist container, live (through the daemon). */
  changeAllowlist(verb: 'allow' | 'block', container: string, name: string): Promise<string> {
    return changeSlotAllowlist(this.opts.coiDir, verb, container, name);
  }

  deleteSnapshot(container: string, snapshot: string): Promise<void> {
    return deleteSnapshot(this.opts.incus, container, snapshot);
  }
}
