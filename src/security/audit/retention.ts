import { stat, unlink } from 'node:fs/promises';
import { listAuditFiles } from './files.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes whole audit files whose newest record is older than `retentionDays`
 * (`[monitoring] audit_log_retention_days`; 0 keeps everything). A closed file's records all
 * belong to the day in its name; an active file is judged by its last write. Returns the deleted
 * paths.
 */
export async function pruneAuditFiles(
  dir: string,
  retentionDays: number,
  nowMs = Date.now(),
): Promise<string[]> {
  if (retentionDays <= 0) return [];
  const cutoff = nowMs - retentionDays * DAY_MS;
  const deleted: string[] = [];
  for (const file of await listAuditFiles(dir)) {
    try {
      const newest = file.day
        ? Date.parse(`${file.day}T00:00:00Z`) + DAY_MS
        : (await stat(file.path)).mtimeMs;
      if (newest > cutoff) continue;
      await unlink(file.path);
      deleted.push(file.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return deleted;
}
