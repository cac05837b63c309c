import { join } from 'node:path';
import { IncusNotFoundError } from '../../incus/errors.js';
import type { IncusApi } from '../../incus/interfaces.js';
import { forceDelete } from '../container/force-delete.js';
import { resumeContainer } from '../container/resume.js';
import { stopWithGrace } from '../container/stop-with-grace.js';
import { SessionLog } from '../logs/session-log.js';
import { toolAdapter } from '../tools/registry.js';
import { HostLocks } from './host-locks.js';
import { writeBackLogins } from './host-copies/write-back.js';
import { writeBackRecords } from './host-copies/write-back-records.js';
import { idmappedMountpoint, removeIdmappedMounts } from './launch/idmapped-workspace.js';
import { releaseNetwork } from './network.js';
import { SavedSessions, type SavedSession } from './saved-sessions.js';
import { MARKED_KILL_RECORD_WAIT_MS, threatKillRecorded, waitUntilGone } from './threat-kill.js';
import { codeHome, readCoiKeys, type CoiKeys } from '../../shared/instance-keys.js';
import { CoiError } from '../../shared/errors.js';

export interface EndOptions {
  coiDir: string;
  /** Save the tool's state first (shutdown, normal exit); a kill does not. */
  save: boolean;
  /** Clean shutdown with this many seconds of grace, then force; undefined = force at once. */
  graceSeconds?: number;
  /** Keep a persistent container (stopped) instead of deleting it. */
  keepPersistent: boolean;
  /**
   * When the session began: a container found gone already is looked up in the audit log for a
   * threat kill since then (`coi run` reports one).
   */
  startedAtMs?: number;
}

export interface EndResult {
  existed: boolean;
  saved?: SavedSession;
  deleted: boolean;
  /** The container was killed as a threat: the alert's title. */
  threatKill?: string;
}

/**
 * Ends a session: saves the tool's state to ~/.coi/sessions-<tool>/<id>/ (starting a powered-off
 * container again briefly to read it: copying a tree needs `find` inside), stops the container,
 * deletes it unless it is persistent and kept, and unlocks the host paths it locked. A container
 * the threat responder is killing (`user.coi.threat_kill`) is left to it: nothing is saved, the
 * session waits until the responder deleted it (bounded; then deletes it itself) and releases the
 * rest.
 */
export async function endSession(
  incus: IncusApi,
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
    await writeBackRecords(opts.coiDir).forget(container);
    const threatKill =
      opts.startedAtMs === undefined
        ? undefined
        : await threatKillRecorded(opts.coiDir, container, opts.startedAtMs);
    return { existed: false, deleted: false, ...(threatKill ? { threatKill } : {}) };
  }
  const keys = readCoiKeys(instance.config);
  const threatKill = keys.threatKill ? { threatKill: keys.threatKill } : {};
  if (keys.threatKill && (await waitUntilGone(incus, container))) {
    // So that `coi audit` right after the session shows the kill.
    await threatKillRecorded(
      opts.coiDir,
      container,
      opts.startedAtMs ?? 0,
      MARKED_KILL_RECORD_WAIT_MS,
    );
    await releaseNetwork(incus, instance);
    await locks.release(container);
    await writeBackRecords(opts.coiDir).forget(container);
    new SessionLog(opts.coiDir, container).info(
      `Session ended: container killed by the security monitor (${keys.threatKill})`,
    );
    return { existed: true, deleted: true, ...threatKill };
  }
  let saved: SavedSession | undefined;
  if (opts.save && keys.sessionId && keys.tool && !keys.threatKill) {
    try {
      saved = await saveState(incus, container, instance.status, keys, opts.coiDir);
    } catch (err) {
      // Deleting now would lose the agent's state: keep the container for another try.
      await stopWithGrace(incus, container, opts.graceSeconds);
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
  const keep = keys.persistent && opts.keepPersistent;
  await stopWithGrace(incus, container, opts.graceSeconds);
  const log = new SessionLog(opts.coiDir, container);
  const written = await writeBack(incus, container, opts.coiDir).catch((err: Error) => {
    log.error(`writing the rotated logins back to the host failed: ${err.message}`);
    return [];
  });
  if (!keep) {
    await deleteIfThere(incus, container);
    await writeBackRecords(opts.coiDir).forget(container);
  }
  const mountpoint = idmappedMountpoint(container);
  if (!keep && instance.devices.workspace?.source === mountpoint)
    await removeIdmappedMounts(mountpoint);
  await releaseNetwork(incus, instance);
  await locks.release(container);
  log.info(
    `Session ended: ${saved ? `saved to ${saved.dir}, ` : ''}${written.length ? `logins written back to ${written.join(', ')}, ` : ''}container ${keep ? 'kept (stopped)' : 'deleted'}`,
  );
  return { existed: true, ...(saved ? { saved } : {}), deleted: !keep, ...threatKill };
}

export class SessionSaveError extends CoiError {}

async function saveState(
  incus: IncusApi,
  container: string,
  status: string,
  keys: CoiKeys,
  coiDir: string,
): Promise<SavedSession | undefined> {
  const adapter = toolAdapterOrUndefined(keys.tool);
  if (!adapter?.stateDir) return undefined;
  if (status === 'Frozen') await resumeContainer(incus, container);
  if (status === 'Stopped') await (await incus.instances.start(container)).wait();
  const home = codeHome(keys.codeUser);
  if (!(await incus.files.stat(container, `${home}/${adapter.stateDir}`))) return undefined;
  return new SavedSessions(coiDir).save(
    incus.fileTree,
    {
      session_id: keys.sessionId,
      container_name: container,
      persistent: keys.persistent,
      workspace: keys.workspace,
      tool: keys.tool,
      ...(keys.profile ? { profile: keys.profile } : {}),
    },
    home,
    adapter.stateDir,
  );
}

/**
 * The logins the agent rotated inside, written back to the host (after the stop, so nothing
 * changes them meanwhile). Never from a container the threat responder froze or is killing.
 */
async function writeBack(incus: IncusApi, container: string, coiDir: string): Promise<string[]> {
  const records = await writeBackRecords(coiDir).load(container);
  if (records.length === 0) return [];
  const { value } = await incus.instances.get(container).catch(() => ({ value: undefined }));
  const keys = value && readCoiKeys(value.config);
  if (!keys || keys.frozenBy === 'threat' || keys.threatKill) return [];
  return writeBackLogins(incus, container, records);
}

/** Deletes a container; one that another coi process deleted meanwhile is fine. */
async function deleteIfThere(incus: IncusApi, container: string): Promise<void> {
  try {
    await (await forceDelete(incus, container)).wait();
  } catch (err) {
    if (!(err instanceof IncusNotFoundError)) throw err;
  }
}

function toolAdapterOrUndefined(tool: string) {
  try {
    return toolAdapter(tool).adapter;
  } catch {
    // A tool this coi does not know (an older or newer coi made the container): nothing to save.
    return undefined;
  }
}
