import type { IncusApi } from '../../incus/index.js';
import { IncusNotFoundError } from '../../incus/errors.js';
import type { Instance } from '../../incus/instance-types.js';
import { CoiError } from '../../shared/errors.js';
import { readCoiKeys } from '../../shared/instance-keys.js';
import { containerName } from '../../shared/naming.js';
import { codeUidOf } from '../container/code-uid.js';
import { hasTmuxSession } from './tmux.js';

/** A running container to enter, as the user its agent runs as. */
export interface RunningContainer {
  container: string;
  codeUid: number;
  codeUser: string;
  /** Its `coi-<container>` tmux session is up. */
  hasTmux: boolean;
}

/**
 * The session `coi shell` comes back to instead of taking a new slot: the container of `slot`
 * (slot 1 unless asked) of this identity, when it runs and its tmux session is up.
 */
export async function runningSession(
  incus: IncusApi,
  where: { identity: string; slot?: number; prefix: string },
): Promise<RunningContainer | undefined> {
  const name = containerName(where.identity, where.slot ?? 1, where.prefix);
  const instance = await instanceIfThere(incus, name);
  if (instance?.status !== 'Running') return undefined;
  const found = await entered(incus, instance);
  return found.hasTmux ? found : undefined;
}

/** `coi shell --container NAME`: an existing container, entered as it is; it must run. */
export async function existingContainer(incus: IncusApi, name: string): Promise<RunningContainer> {
  const instance = await instanceIfThere(incus, name);
  if (!instance) {
    throw new CoiError(`container ${name} (from --container) does not exist (see \`coi list\`)`);
  }
  if (instance.status !== 'Running') {
    throw new CoiError(
      `container ${name} (from --container) is ${instance.status.toLowerCase()}, not running: ` +
        `start it with \`coi container start ${name}\``,
    );
  }
  return entered(incus, instance);
}

async function entered(incus: IncusApi, instance: Instance): Promise<RunningContainer> {
  const { codeUser } = readCoiKeys(instance.config);
  const codeUid = await codeUidOf(incus, { name: instance.name, codeUser });
  const hasTmux = await hasTmuxSession(incus, instance.name, codeUid);
  return { container: instance.name, codeUid, codeUser, hasTmux };
}

async function instanceIfThere(incus: IncusApi, name: string): Promise<Instance | undefined> {
  try {
    return (await incus.instances.get(name)).value;
  } catch (err) {
    if (err instanceof IncusNotFoundError) return undefined;
    throw err;
  }
}
