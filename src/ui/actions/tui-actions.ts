import type { SlotViewKind, SlotViewSink } from '../../core/control-room/slot-view-types.js';

/** The image a new slot of a workspace would start from. */
export interface SlotImageInfo {
  image: string;
  missing: boolean;
  /** The control room can build it (coi-default). */
  buildable: boolean;
  /** How long building it takes, e.g. "about 10 minutes". */
  estimate: string;
}

/**
 * What the dashboard can ask the outside world to do. The UI never talks to Incus; the caller
 * implements this over core. Every method resolves when done or rejects with a message the status
 * line shows as is, so errors should say what failed and how to fix it.
 */
export interface TuiActions {
  attach(name: string): Promise<void>;
  pause(name: string): Promise<void>;
  resume(name: string): Promise<void>;
  /** Force-delete the container (the responder's "kill"). */
  kill(name: string): Promise<void>;
  /** Resolves with the snapshot's name. */
  snapshot(name: string): Promise<string>;
  /** Resolves with the new container's name. */
  newSlot(workspace: string): Promise<string>;
  /** Asked before a new slot: a slot from a missing image is never launched. */
  slotImage(workspace: string): Promise<SlotImageInfo>;
  /** Builds the agents' image (coi-default), reporting progress lines; resolves to its name. */
  buildImage(onProgress: (line: string) => void): Promise<string>;
  shutdown(name: string): Promise<void>;
  ack(alertId: string): Promise<void>;
  /** Feeds the open slot view until the returned stop is called. */
  watchSlotView(view: SlotViewKind, name: string, sink: SlotViewSink): () => void;
  /** SIGTERM to one of the container's processes, by host pid. */
  killProcess(name: string, pid: number): Promise<void>;
  /** With `stopFirst`, a running container is stopped for the restore (and left stopped). */
  restoreSnapshot(name: string, snapshot: string, stopFirst: boolean): Promise<void>;
  deleteSnapshot(name: string, snapshot: string): Promise<void>;
  /**
   * Allows (or blocks) a name for a running allowlist container, live: its resolver, proxy and
   * firewall take it at once and the audit log records it. Resolves with what was done.
   */
  changeAllowlist(verb: 'allow' | 'block', name: string, domain: string): Promise<string>;
}
