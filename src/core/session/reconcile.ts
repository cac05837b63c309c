import { IncusNotFoundError } from '../../incus/errors.js';
import type { IncusApi } from '../../incus/index.js';
import type { CoiContainer } from '../../shared/coi-container.js';
import { isEphemeralSession } from '../../shared/instance-keys.js';
import { sessionClaims } from './claim.js';
import { endSession, type EndResult } from './end.js';
import type { HostLocks } from './host-locks.js';

/**
 * An ephemeral session found stopped after it ran (`volatile.last_state.power` is STOPPED, so not
 * one being created), with nobody left to end it: what `coi clean` offers to save and delete.
 */
export function isLeftoverSession(
  c: Pick<CoiContainer, 'status' | 'launchedBy' | 'persistent' | 'instance'>,
): boolean {
  return (
    c.status === 'Stopped' &&
    isEphemeralSession(c) &&
    c.instance.config?.['volatile.last_state.power'] === 'STOPPED'
  );
}

/**
 * Ends the session of a stopped ephemeral container: the tool's state is saved (the container
 * started again briefly to read it), then the container is deleted. A session a live process
 * waits on (see SessionClaims) is left to it: undefined then.
 */
export async function endStoppedSession(
  incus: IncusApi,
  container: string,
  coiDir: string,
): Promise<EndResult | undefined> {
  const claims = sessionClaims(coiDir);
  if (await claims.held(container)) return undefined;
  await claims.drop(container);
  return endSession(incus, container, { coiDir, save: true, keepPersistent: false });
}

/** Releases the host locks of containers that are gone or stopped; returns their names. */
export async function releaseStaleLocks(
  incus: Pick<IncusApi, 'instances'>,
  locks: HostLocks,
): Promise<string[]> {
  const released: string[] = [];
  for (const name of await locks.containers()) {
    if (!(await isDown(incus, name))) continue;
    await locks.release(name);
    released.push(name);
  }
  return released;
}

async function isDown(incus: Pick<IncusApi, 'instances'>, name: string): Promise<boolean> {
  try {
    return (await incus.instances.get(name)).value.status === 'Stopped';
  } catch (err) {
    if (err instanceof IncusNotFoundError) return true;
    throw err;
  }
}
