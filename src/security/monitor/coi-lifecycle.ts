import { eventInstance, isLifecycle, type IncusEvent } from '../../incus/index.js';
import { parseContainerName } from '../../shared/naming.js';

/**
 * What an Incus lifecycle event says about a coi container: `started` (started or restarted),
 * `resumed`, `paused`, `stopped` (stopped or shut down), `deleted`, or `changed` for every other
 * event about it (updated, renamed, exec, file and snapshot events, …).
 */
export type CoiLifecycleKind = 'started' | 'resumed' | 'paused' | 'stopped' | 'deleted' | 'changed';

export interface CoiLifecycle {
  name: string;
  kind: CoiLifecycleKind;
}

const KINDS = new Map<string, CoiLifecycleKind>([
  ['instance-started', 'started'],
  ['instance-restarted', 'started'],
  ['instance-resumed', 'resumed'],
  ['instance-paused', 'paused'],
  ['instance-stopped', 'stopped'],
  ['instance-shutdown', 'stopped'],
  ['instance-deleted', 'deleted'],
]);

/** The coi container a lifecycle event is about and what happened to it; undefined otherwise. */
export function coiLifecycle(event: IncusEvent, prefix: string): CoiLifecycle | undefined {
  if (!isLifecycle(event)) return undefined;
  const name = eventInstance(event);
  if (!name || !parseContainerName(name, prefix)) return undefined;
  return { name, kind: KINDS.get(event.metadata.action) ?? 'changed' };
}
