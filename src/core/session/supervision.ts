import type { IncusApi } from '../../incus/index.js';
import type { SupervisionHooks } from '../../security/monitor/supervisor.js';
import { hostLocks } from './host-locks.js';
import { endStoppedSession, releaseStaleLocks } from './reconcile.js';

/**
 * What the supervisor (the monitor daemon) does for this user's sessions: ends an ephemeral one
 * that powered itself off (saved, then deleted) unless its launching process still waits on it,
 * and releases a container's host locks the moment it stops or is deleted, whoever did it.
 */
export function sessionSupervision(
  incus: IncusApi,
  coiDir: string,
  log: (message: string) => void,
): SupervisionHooks {
  const locks = hostLocks(coiDir);
  return {
    async sessionEnded(container) {
      const ended = await endStoppedSession(incus, container, coiDir);
      log(
        ended
          ? `${container} powered itself off: ${ended.saved ? `session saved to ${ended.saved.dir}, ` : ''}container deleted`
          : `${container} powered itself off: left to the coi process that waits on it`,
      );
    },
    async containerDown(container) {
      if ((await locks.release(container)) > 0) log(`released the host locks of ${container}`);
    },
    async resync() {
      for (const container of await releaseStaleLocks(incus, locks))
        log(`released the host locks of ${container} (gone while nobody watched)`);
    },
  };
}
