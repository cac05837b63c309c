import { IncusNotFoundError } from '../../incus/errors.js';
import type { IncusApi } from '../../incus/index.js';
import type { CoiContainer } from '../../shared/coi-container.js';
import { isEphemeralSession } from '../../shared/instance-keys.js';
import { sessionClaims } from './claim.js';
import { endSession, type EndResult } from './end.js';
import type { HostLocks } from './host-locks.js';

/**
 * An ephemeral session found stopped after it ran (`volatile.last_state.power` is STOPPED, so not
 * one being created): `coi clean` offers to save and delete it when it is one of this coi home's
 * and nobody waits on it (see leftoverSessions).
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

/** The leftover sessions among `containers` that this coi home launched and nobody waits on. */
export async function leftoverSessions(
  containers: CoiContainer[],
  coiDir: string,
): Promise<CoiContainer[]> {
  const claims = sessionClaims(coiDir);
  const states = await Promise.all(containers.map((c) => claims.state(c.name)));
  return containers.filter((c, i) => isLeftoverSession(c) && states[i] === 'detached');
}

/**
 * Ends the session of a stopped ephemeral container: the tool's state is saved (the container
 * started again briefly to read it), then the container is deleted. Only a session of this coi
 * home that nobody waits on (see SessionClaims); otherwise it is left alone, and the claim's
 * state says why.
 */
export async function endStoppedSession(
  incus: IncusApi,
  container: string,
  coiDir: string,
): Promise<EndResult | 'attended' | 'unknown'> {
  const claims = sessionClaims(coiDir);
  const state = await claims.state(container);
  if (state !== 'detached') return state;
  const ended = await endSession(incus, container, { coiDir, save: true, keepPersistent: false });
  await claims.forget(container);
  return ended;
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
