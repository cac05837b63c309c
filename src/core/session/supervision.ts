import type { IncusApi } from '../../incus/index.js';
import type { SupervisionHooks } from '../../security/monitor/supervisor.js';
import { sessionClaims } from './claim.js';
import { hostLocks } from './host-locks.js';
import { writeBackRecords } from './host-copies/write-back-records.js';
import { endStoppedSession, releaseStaleLocks } from './reconcile.js';

/**
 * What the supervisor (the monitor daemon) does for the sessions of this coi home: ends an
 * ephemeral one that powered itself off (saved, then deleted) unless its launching process still
 * waits on it, and releases a container's host locks the moment it stops or is deleted, whoever
 * did it.
 */
export function sessionSupervision(
  incus: IncusApi,
  coiDir: string,
  log: (message: string) => void,
): SupervisionHooks {
  const locks = hostLocks(coiDir);
  const claims = sessionClaims(coiDir);
  return {
    async sessionEnded(container) {
      const ended = await endStoppedSession(incus, container, coiDir);
      if (ended === 'attended') return 'waited-on';
      log(
        ended === 'unknown'
          ? `${container} powered itself off: not a session of this coi home, left alone`
          : `${container} powered itself off: ${ended.saved ? `session saved to ${ended.saved.dir}, ` : ''}container deleted`,
      );
      return 'done';
    },
    async containerDown(container, how) {
      if ((await locks.release(container)) > 0) log(`released the host locks of ${container}`);
      // A container deleted without its session ending (a threat kill) writes nothing back.
      if (how === 'deleted') {
        await claims.forget(container);
        await writeBackRecords(coiDir).forget(container);
      }
    },
    async resync() {
      for (const container of await releaseStaleLocks(incus, locks))
        log(`released the host locks of ${container} (gone while nobody watched)`);
    },
  };
}
