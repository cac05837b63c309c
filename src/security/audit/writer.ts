import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { activeAuditFile, closedAuditFile, utcDay } from './files.js';
import { parseRecord, serializeRecord, type AuditRecord } from './record.js';

export type AuditEntry = Omit<AuditRecord, 'id' | 'timestamp'>;

/**
 * Appends audit records, one JSON line each, and fsyncs before `append` resolves, so a record is on
 * disk before the responder acts on it. A file is never rewritten: when the UTC day changes, the
 * active file is renamed to `<container>.<day>.jsonl` and a new one begins. One writer per audit
 * directory (the detector pipeline); appends from one writer are serialised per container.
 */
export class AuditWriter {
  private readonly activeDay = new Map<string, string | undefined>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  append(entry: AuditEntry): Promise<AuditRecord> {
    const record: AuditRecord = { id: randomUUID(), timestamp: this.now().toISOString(), ...entry };
    const previous = this.queues.get(entry.container) ?? Promise.resolve();
    // The previous append's failure went to its own caller; this one is written regardless.
    const next = previous.catch(() => undefined).then(() => this.write(record));
    this.queues.set(entry.container, next);
    return next;
  }

  private async write(record: AuditRecord): Promise<AuditRecord> {
    const path = activeAuditFile(this.dir, record.container);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const day = utcDay(record.timestamp);
    const current = await this.dayOf(record.container, path);
    let created = current === undefined;
    if (current !== undefined && current !== day) {
      await this.close(record.container, path, current);
      created = true;
    }
    const handle = await open(
      path,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT,
      0o600,
    );
    try {
      await handle.write(serializeRecord(record));
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (created) await syncDir(this.dir);
    this.activeDay.set(record.container, day);
    return record;
  }

  /** The UTC day of the active file's first record; undefined when there is no active file. */
  private async dayOf(container: string, path: string): Promise<string | undefined> {
    if (this.activeDay.has(container)) return this.activeDay.get(container);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const buffer = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const firstLine = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '';
      const day = firstLine ? utcDay(parseRecord(firstLine).timestamp) : undefined;
      this.activeDay.set(container, day);
      return day;
    } catch (err) {
      throw new Error(
        `audit file ${path} does not start with an audit record: ${(err as Error).message}`,
      );
    } finally {
      await handle.close();
    }
  }

  private async close(container: string, path: string, day: string): Promise<void> {
    for (let n = 0; ; n += 1) {
      const target = closedAuditFile(this.dir, container, day, n);
      if (await exists(target)) continue;
      this.activeDay.delete(container);
      try {
        await rename(path, target);
      } catch (err) {
        // Pruned by retention in the meantime: nothing left to close.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      return;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Makes a new or renamed directory entry durable. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
