import type { OperationMetadata } from './types.js';

/** JSON shapes of `/1.0/events` messages (shared/api/event.go, event_lifecycle.go in Incus 6.0). */

export type EventType = 'lifecycle' | 'operation' | 'logging';

interface EventEnvelope {
  timestamp: string;
  location: string;
  project?: string;
}

/** Who asked for the change; missing for guest-initiated shutdowns and some updates. */
export interface EventRequestor {
  username: string;
  protocol: string;
  address: string;
}

/** The `context` each lifecycle action carries, where it carries one we read. */
export interface LifecycleContexts {
  'instance-created': { type?: string; 'storage-pool'?: string; location?: string };
  'instance-renamed': { old_name: string };
  'instance-restored': { snapshot: string };
  'instance-exec': { command: string[] };
  'instance-file-pushed': { path: string };
  'instance-file-retrieved': { path: string };
  'instance-file-deleted': { path: string };
  'instance-snapshot-renamed': { old_name: string };
}

export type InstanceLifecycleAction =
  | 'instance-created'
  | 'instance-started'
  | 'instance-shutdown'
  | 'instance-stopped'
  | 'instance-restarted'
  | 'instance-paused'
  | 'instance-resumed'
  | 'instance-deleted'
  | 'instance-renamed'
  | 'instance-updated'
  | 'instance-restored'
  | 'instance-ready'
  | 'instance-exec'
  | 'instance-file-pushed'
  | 'instance-file-retrieved'
  | 'instance-file-deleted'
  | 'instance-log-retrieved'
  | 'instance-log-deleted';

export type SnapshotLifecycleAction =
  | 'instance-snapshot-created'
  | 'instance-snapshot-deleted'
  | 'instance-snapshot-renamed'
  | 'instance-snapshot-updated';

export type ImageLifecycleAction =
  | 'image-created'
  | 'image-deleted'
  | 'image-retrieved'
  | 'image-updated'
  | 'image-refreshed'
  | 'image-alias-created'
  | 'image-alias-deleted'
  | 'image-alias-renamed'
  | 'image-alias-updated';

export type KnownLifecycleAction =
  InstanceLifecycleAction | SnapshotLifecycleAction | ImageLifecycleAction;

/** Any action name; the known ones autocomplete, others (networks, profiles, …) pass through. */
export type LifecycleAction = KnownLifecycleAction | (string & {});

type ContextOf<A extends string> = A extends keyof LifecycleContexts
  ? LifecycleContexts[A]
  : Record<string, unknown>;

export interface LifecycleMetadata<A extends string = LifecycleAction> {
  action: A;
  /** API path of the object, e.g. `/1.0/instances/c1` (after a rename: the new path). */
  source: string;
  name?: string;
  project?: string;
  requestor?: EventRequestor | null;
  context: ContextOf<A> | null;
}

export interface LifecycleEvent<A extends string = LifecycleAction> extends EventEnvelope {
  type: 'lifecycle';
  metadata: LifecycleMetadata<A>;
}

export interface OperationEvent extends EventEnvelope {
  type: 'operation';
  metadata: OperationMetadata;
}

export interface LoggingEvent extends EventEnvelope {
  type: 'logging';
  metadata: { message: string; level: string; context: Record<string, string> | null };
}

/**
 * Not from the daemon: the stream lost its connection (or a slow consumer's queue overflowed)
 * and events between `since` and `until` may be missing. Consumers re-read what they track.
 */
export interface GapEvent {
  type: 'gap';
  since: string;
  until: string;
  reason: string;
}

export type DaemonEvent = LifecycleEvent | OperationEvent | LoggingEvent;
export type IncusEvent = DaemonEvent | GapEvent;
