import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Audit file layout in the audit directory (~/.coi/audit):
 *   <container>.jsonl                 — the file being appended to
 *   <container>.<YYYY-MM-DD>.jsonl    — closed files, named by the UTC day of their records
 * Files are only ever appended to, renamed once when the day changes, and deleted whole.
 */

const CONTAINER = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
const FILE = /^([A-Za-z0-9][A-Za-z0-9-]{0,62})(?:\.(\d{4}-\d{2}-\d{2})(?:\.(\d+))?)?\.jsonl$/;

function checkContainerName(container: string): void {
  if (!CONTAINER.test(container))
    throw new Error(
      `"${container}" is not a container name (letters, digits and "-", at most 63, not starting with "-")`,
    );
}

export function activeAuditFile(dir: string, container: string): string {
  checkContainerName(container);
  return join(dir, `${container}.jsonl`);
}

/** `n` > 0 only if a file for that day exists already (the clock went back). */
export function closedAuditFile(dir: string, container: string, day: string, n = 0): string {
  checkContainerName(container);
  return join(dir, `${container}.${day}${n > 0 ? `.${n}` : ''}.jsonl`);
}

export interface AuditFile {
  path: string;
  name: string;
  container: string;
  /** UTC day of a closed file; undefined for the active one. */
  day?: string;
  part: number;
}

/** Audit files in `dir` (all, or one container's), oldest first, the active file last. */
export async function listAuditFiles(dir: string, container?: string): Promise<AuditFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files: AuditFile[] = [];
  for (const name of names) {
    const match = FILE.exec(name);
    if (!match || (container !== undefined && match[1] !== container)) continue;
    files.push({
      path: join(dir, name),
      name,
      container: match[1]!,
      day: match[2],
      part: Number(match[3] ?? 0),
    });
  }
  const order = (f: AuditFile) =>
    `${f.container}\0${f.day ?? '9999-99-99'}\0${String(f.part).padStart(6, '0')}`;
  return files.sort((a, b) => order(a).localeCompare(order(b)));
}

/** `2026-11-23T12:00:00.000Z` → `2026-11-23`. */
export function utcDay(timestamp: string): string {
  return timestamp.slice(0, 10);
}
