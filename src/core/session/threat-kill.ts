import { IncusNotFoundError } from '../../incus/errors.js';
import type { IncusApi } from '../../incus/interfaces.js';
import { readAudit } from '../../security/audit/tail.js';
import { monitorPaths } from '../../security/monitor/paths.js';

/**
 * A session ending while the threat responder kills its container: the responder marked the
 * container (`user.coi.threat_kill`) and deletes it after taking its forensic copy, so the session
 * waits for that instead of deleting it under the copy.
 */

/** How long a session waits for the responder to delete a container it is killing. */
export const THREAT_KILL_WAIT_MS = 60_000;
/** How long a session whose container is gone already looks for the responder's kill record. */
export const KILL_RECORD_WAIT_MS = 2000;
/**
 * How long a session whose container the responder marked and deleted waits for the kill record
 * (written right after the deletion; on a loaded host seconds later), so `coi audit` shows it.
 */
export const MARKED_KILL_RECORD_WAIT_MS = 10_000;
const POLL_MS = 100;

/** True once the container is gone; false when it is still there after `timeoutMs`. */
export async function waitUntilGone(
  incus: Pick<IncusApi, 'instances'>,
  container: string,
  timeoutMs = THREAT_KILL_WAIT_MS,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await incus.instances.get(container);
    } catch (err) {
      if (err instanceof IncusNotFoundError) return true;
      throw err;
    }
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/**
 * The title of the alert the responder killed the container for since `sinceMs`, from the audit
 * log (the record is written right after the deletion, so it is waited for briefly); undefined when
 * nothing killed it as a threat.
 */
export async function threatKillRecorded(
  coiDir: string,
  container: string,
  sinceMs: number,
  waitMs = KILL_RECORD_WAIT_MS,
): Promise<string | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    let title: string | undefined;
    await readAudit(monitorPaths(coiDir).audit, container, {
      onRecord: (r) => {
        if (r.action === 'killed' && Date.parse(r.timestamp) >= sinceMs) title = r.title;
      },
      // No audit log (nothing was ever recorded): no kill either.
    }).catch(() => undefined);
    if (title !== undefined || Date.now() >= deadline) return title;
    await sleep(POLL_MS);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
