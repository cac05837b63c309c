import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A login copied into a container, to write back to the host if the agent rotates it. */
export interface WriteBackRecord {
  host: string;
  container: string;
  mode: number;
  /** sha256 of the bytes copied in: a copy still holding them did not change inside. */
  sha256: string;
}

/**
 * `~/.coi/write-back/<container>.json`: which logins a session's container got and may write back
 * when it ends. Kept on the host (nothing inside can change it), rewritten at every start and
 * forgotten when the container is deleted.
 */
export class WriteBackRecords {
  constructor(private readonly dir: string) {}

  async save(container: string, records: WriteBackRecord[]): Promise<void> {
    if (records.length === 0) return this.forget(container);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFile(this.path(container), `${JSON.stringify(records, null, 2)}\n`, {
      mode: 0o600,
    });
  }

  async load(container: string): Promise<WriteBackRecord[]> {
    const text = await readFile(this.path(container), 'utf8').catch(() => undefined);
    if (text === undefined) return [];
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? (parsed as WriteBackRecord[]) : [];
    } catch {
      // A torn file (a crash mid-write) names nothing to write back.
      return [];
    }
  }

  forget(container: string): Promise<void> {
    return rm(this.path(container), { force: true });
  }

  private path(container: string): string {
    return join(this.dir, `${container}.json`);
  }
}

export const writeBackRecords = (coiDir: string) =>
  new WriteBackRecords(join(coiDir, 'write-back'));
