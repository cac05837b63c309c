import type { IncusApi } from '../../incus/index.js';
import type { CoiContainer } from '../../shared/coi-container.js';
import { endSession, type EndResult } from './end.js';

export interface Reconciled {
  container: string;
  result?: EndResult;
  error?: Error;
}

/**
 * An ephemeral container that powered itself off (`sudo poweroff` inside, max_duration) has
 * nobody left to end its session. Incus keeps it (it is created non-ephemeral precisely so its
 * state can still be read), and the next `coi shell`, `coi list` or `coi clean` ends it here:
 * the tool's state is saved, then the container is deleted. Only containers that ran and then
 * stopped qualify (`volatile.last_state.power` is STOPPED), never one that is still being created.
 */
export async function reconcilePoweredOff(
  incus: IncusApi,
  containers: CoiContainer[],
  coiDir: string,
): Promise<Reconciled[]> {
  const done: Reconciled[] = [];
  for (const c of containers.filter(isPoweredOffEphemeral)) {
    try {
      const result = await endSession(incus, c.name, { coiDir, save: true, keepPersistent: false });
      done.push({ container: c.name, result });
    } catch (err) {
      done.push({ container: c.name, error: err as Error });
    }
  }
  return done;
}

function isPoweredOffEphemeral(c: Pick<CoiContainer, 'status' | 'persistent' | 'instance'>) {
  return (
    c.status === 'Stopped' &&
    !c.persistent &&
    c.instance.config?.['volatile.last_state.power'] === 'STOPPED'
  );
}
