import { join } from 'node:path';
import { IncusNotFoundError } from '../../incus/errors.js';
import { FileTreeApi } from '../../incus/file-tree.js';
import type { Incus } from '../../incus/index.js';
import { toolAdapter } from '../tools/registry.js';
import { HostLocks } from './host-locks.js';
import { releaseNetwork } from './network.js';
import { SavedSessions, type SavedSession } from './saved-sessions.js';

export interface EndOptions {
  coiDir: string;
  /** Save the tool's state first (shutdown, normal exit); a kill does not. */
  save: boolean;
  /** Clean shutdown with this many seconds of grace, then force; undefined = force at once. */
  graceSeconds?: number;
  /** Keep a persistent container (stopped) instead of deleting it. */
  keepPersistent: boolean;
}

export interface EndResult {
  existed: boolean;
  saved?: SavedSession;
  deleted: boolean;
}

/**
 * Ends a session: saves the tool's state to ~/.coi/sessions-<tool>/<id>/ (starting a powered-off
 * container again briefly to read it: copying a tree needs `find` inside), stops the container,
 * deletes it unless it is persistent and kept, and unlocks the host paths it locked.
 */
export async function endSession(
  incus: Incus,
  container: string,
  opts: EndOptions,
): Promise<EndResult> {
  const locks = new HostLocks(join(opts.coiDir, 'locks'));
  let instance;
  try {
    instance = (await incus.instances.get(container)).value;
  } catch (err) {
    if (!(err instanceof IncusNotFoundError)) throw err;
    await locks.release(container);
    return { existed: false, deleted: false };
  }
  const cfg = instance.config;
  const persistent = cfg['user.coi.persistent'] === 'true';
  let saved: SavedSession | undefined;
  if (opts.save && cfg['user.coi.session_id'] && cfg['user.coi.tool']) {
    try {
      saved = await saveState(incus, container, instance.status, cfg, opts.coiDir);
    } catch (err) {
      // Deleting now would lose the agent's state: keep the container for another try.
      await stop(incus, container, opts.graceSeconds);
      throw new SessionSaveError(
        `could not save the session of ${container} (${(err as Error).message}); the container is kept (stopped): ` +
          'retry with `coi shutdown ' +
          container +
          '`, or drop it with `coi kill ' +
          container +
          '`',
      );
    }
  }
  const keep = persistent && opts.keepPersistent;
  await stop(incus, container, opts.graceSeconds);
  if (!keep) await deleteIfThere(incus, container);
  await releaseNetwork(incus, instance);
  await locks.release(container);
  return { existed: true, ...(saved ? { saved } : {}), deleted: !keep };
}

export class SessionSaveError extends Error {
  readonly exitCode = 1;
}

async function saveState(
  incus: Incus,
  container: string,
  status: string,
  cfg: Record<string, string>,
  coiDir: string,
): Promise<SavedSession | undefined> {
  const tool = cfg['user.coi.tool'] ?? '';
  const adapter = toolAdapterOrUndefined(tool);
  if (!adapter?.stateDir) return undefined;
  if (status === 'Frozen') await (await incus.instances.unfreeze(container)).wait();
  if (status === 'Stopped') await (await incus.instances.start(container)).wait();
  const home = `/home/${cfg['user.coi.code_user'] ?? 'code'}`;
  if (!(await incus.files.stat(container, `${home}/${adapter.stateDir}`))) return undefined;
  return new SavedSessions(coiDir).save(
    new FileTreeApi(incus.client),
    {
      session_id: cfg['user.coi.session_id'] ?? '',
      container_name: container,
      persistent: cfg['user.coi.persistent'] === 'true',
      workspace: cfg['user.coi.workspace'] ?? '',
      tool,
      ...(cfg['user.coi.profile'] ? { profile: cfg['user.coi.profile'] } : {}),
    },
    home,
    adapter.stateDir,
  );
}

/** Deletes a container; one that another coi process deleted meanwhile is fine. */
async function deleteIfThere(incus: Incus, container: string): Promise<void> {
  try {
    await (await incus.instances.delete(container, { force: true })).wait();
  } catch (err) {
    if (!(err instanceof IncusNotFoundError)) throw err;
  }
}

function toolAdapterOrUndefined(tool: string) {
  try {
    return toolAdapter(tool).adapter;
  } catch {
    return undefined;
  }
}

async function stop(
  incus: Incus,
  container: string,
  graceSeconds: number | undefined,
): Promise<void> {
  const { value } = await incus.instances.get(container).catch(() => ({ value: undefined }));
  if (!value || value.status === 'Stopped') return;
  if (graceSeconds !== undefined && value.status === 'Running') {
    try {
      await (
        await incus.instances.stop(container, { timeout: graceSeconds })
      ).wait({ timeoutMs: (graceSeconds + 10) * 1000 });
      return;
    } catch {
      // Did not stop in time: force below.
    }
  }
  await (await incus.instances.stop(container, { force: true })).wait().catch(() => undefined);
}
