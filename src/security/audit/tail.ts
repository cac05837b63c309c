import { watch, type FSWatcher } from 'node:fs';
import { mkdir, open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { listAuditFiles } from './files.js';
import { parseRecord, type AuditRecord } from './record.js';

export interface AuditReadHandlers {
  onRecord(record: AuditRecord): void;
  /** A line that is not a valid record (`where` is `file:line`); reading goes on. */
  onInvalid?(where: string, problem: string): void;
}

/** Every record of one container, closed files first, for `coi audit <container>`. */
export async function readAudit(
  dir: string,
  container: string,
  handlers: AuditReadHandlers,
): Promise<void> {
  for (const file of await listAuditFiles(dir, container)) {
    const lines = (await readFile(file.path, 'utf8')).split('\n');
    lines.forEach((line, i) => deliver(line, `${file.path}:${i + 1}`, handlers));
  }
}

function deliver(line: string, where: string, handlers: AuditReadHandlers): void {
  if (line.trim() === '') return;
  let record: AuditRecord;
  try {
    record = parseRecord(line);
  } catch (err) {
    handlers.onInvalid?.(where, (err as Error).message);
    return;
  }
  handlers.onRecord(record);
}

export interface FollowHandlers extends AuditReadHandlers {
  /** Reading or watching failed after `ready`; the follower stays open and retries on change. */
  onError(err: Error): void;
}

export interface AuditFollower {
  /** Resolves once the existing content is delivered and changes are being watched. */
  ready: Promise<void>;
  close(): void;
}

/**
 * Follows an active audit file (`coi audit --follow`, the TUI) with fs.watch on its directory, so
 * it sees the file appear, grow, and be replaced at the daily rotation (the rest of the old file is
 * read before switching). Partial lines wait for their newline.
 */
export function followAudit(
  path: string,
  handlers: FollowHandlers,
  options: { fromStart?: boolean } = {},
): AuditFollower {
  const follower = new Follower(path, handlers, options.fromStart !== false);
  return { ready: follower.start(), close: () => follower.close() };
}

class Follower {
  private watcher?: FSWatcher;
  private handle?: FileHandle;
  private ino?: number;
  private offset = 0;
  private line = 1;
  private decoder = new StringDecoder('utf8');
  private partial = '';
  private skipExisting: boolean;
  private draining?: Promise<void>;
  private again = false;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly handlers: FollowHandlers,
    fromStart: boolean,
  ) {
    this.skipExisting = !fromStart;
  }

  async start(): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (this.closed) return;
    const name = basename(this.path);
    this.watcher = watch(dir, (_event, changed) => {
      if (changed === null || changed === name) this.kick();
    });
    this.watcher.on('error', (err) => this.handlers.onError(err));
    const first = this.drain();
    // Only marks when the drain settles: its failure reaches the caller through `await first`.
    this.draining = first.catch(() => undefined).finally(() => this.settle());
    await first;
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    void (this.draining ?? Promise.resolve()).then(() => this.release());
  }

  private kick(): void {
    if (this.closed) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((err: Error) => this.handlers.onError(err))
      .finally(() => this.settle());
  }

  private settle(): void {
    this.draining = undefined;
    if (this.again) {
      this.again = false;
      this.kick();
    }
  }

  private async drain(): Promise<void> {
    const current = await stat(this.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (this.handle && current?.ino !== this.ino) {
      // Rotated away or deleted: finish the old file, then start on the new one.
      await this.readNew();
      await this.release();
    }
    if (!this.handle && current && !this.closed) {
      this.handle = await open(this.path, 'r');
      const opened = await this.handle.stat();
      this.ino = opened.ino;
      this.offset = this.skipExisting ? opened.size : 0;
      this.decoder = new StringDecoder('utf8');
      this.partial = '';
      this.line = 1;
    }
    this.skipExisting = false;
    if (this.handle) await this.readNew();
  }

  private async readNew(): Promise<void> {
    const handle = this.handle!;
    const buffer = Buffer.alloc(64 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      if (bytesRead === 0) return;
      this.offset += bytesRead;
      const lines = (this.partial + this.decoder.write(buffer.subarray(0, bytesRead))).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!this.closed) deliver(line, `${this.path}:${this.line}`, this.handlers);
        this.line += 1;
      }
    }
  }

  private async release(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.ino = undefined;
    await handle?.close();
  }
}
