import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { listAuditFiles } from '../../security/audit/files.js';
import { parseRecord, type AuditRecord } from '../../security/audit/record.js';
import { followAudit, type AuditFollower } from '../../security/audit/tail.js';
import { isDecisionRecord } from '../../security/monitor/network-audit.js';
import { parseContainerName } from '../../shared/naming.js';
import type { AlertSink, RoomAlert } from './types.js';

export interface AlertsFeedOptions {
  /** The audit directory (~/.coi/audit). */
  dir: string;
  /** Only containers named with this prefix are shown (like the instance feed). */
  prefix: string;
  /** Ids acknowledged earlier (the control room's AckStore). */
  acknowledged: () => Promise<Set<string>>;
  /** A line that is not an audit record, or a file that cannot be read; the feed goes on. */
  onProblem?: (message: string) => void;
}

/** One audit record as the alert queue shows it; undefined for records that are not alerts. */
export function toRoomAlert(
  record: AuditRecord,
  prefix: string,
  acked: ReadonlySet<string>,
): RoomAlert | undefined {
  const parsed = parseContainerName(record.container, prefix);
  // A repeat the responder folded into an earlier alert: that alert is already in the queue.
  if (!parsed || record.action === 'deduplicated') return undefined;
  // A network decision (allowed connection, name allowed or blocked): the network tail shows it.
  if (isDecisionRecord(record.title)) return undefined;
  return {
    id: record.id,
    time: Date.parse(record.timestamp),
    severity: record.level,
    container: record.container,
    slot: parsed.slot,
    workspace: record.workspace,
    title: record.title,
    description: record.description,
    category: record.category,
    action: record.action,
    evidence: record.evidence as Record<string, unknown>,
    acknowledged: acked.has(record.id),
  };
}

/**
 * Feeds the alert queue from the audit files: every file in the directory is replayed at start
 * (closed files first, then the active one), active files are followed as they grow and rotate,
 * and files of containers that appear later are picked up from the directory watch. Records read
 * in one turn of the event loop reach the sink as one batch.
 */
export class AlertsFeed {
  private readonly followers = new Map<string, AuditFollower>();
  private readonly replayed = new Set<string>();
  private watcher: FSWatcher | undefined;
  private acked: ReadonlySet<string> = new Set();
  private pending: RoomAlert[] = [];
  private flushScheduled = false;
  /** While the files on disk are replayed, alerts collect into one batch. */
  private replaying = true;
  private scanning: Promise<void> | undefined;
  private scanAgain = false;
  private closed = false;

  constructor(
    private readonly sink: AlertSink,
    private readonly opts: AlertsFeedOptions,
  ) {}

  /** Resolves once everything on disk has been delivered and the directory is watched. */
  async start(): Promise<void> {
    this.acked = await this.opts.acknowledged();
    await mkdir(this.opts.dir, { recursive: true, mode: 0o700 });
    this.watcher = watch(this.opts.dir, () => this.requestScan());
    this.watcher.on('error', (err) => this.problem(`watching ${this.opts.dir}: ${err.message}`));
    await this.requestScan();
    this.replaying = false;
    this.flush();
  }

  stop(): void {
    this.closed = true;
    this.watcher?.close();
    for (const follower of this.followers.values()) follower.close();
    this.followers.clear();
  }

  private requestScan(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.scanning) {
      this.scanAgain = true;
      return this.scanning;
    }
    this.scanning = this.scan()
      .catch((err: Error) => this.problem(`reading ${this.opts.dir}: ${err.message}`))
      .finally(() => {
        this.scanning = undefined;
        if (this.scanAgain) {
          this.scanAgain = false;
          void this.requestScan();
        }
      });
    return this.scanning;
  }

  /** Starts on files not seen yet; files already followed take care of themselves. */
  private async scan(): Promise<void> {
    const files = await listAuditFiles(this.opts.dir);
    for (const file of files) {
      if (this.closed) return;
      if (!parseContainerName(file.container, this.opts.prefix)) continue;
      if (file.day !== undefined) {
        // Closed files never change; one that appears later was rotated by a follower already.
        if (this.replayed.has(file.path) || this.followers.has(file.container)) continue;
        this.replayed.add(file.path);
        await this.replayClosed(file.path);
        continue;
      }
      if (this.followers.has(file.container)) continue;
      const follower = followAudit(file.path, {
        onRecord: (record) => this.onRecord(record),
        onInvalid: (where, problem) => this.invalid(where, problem),
        onError: (err) => this.problem(`following ${file.path}: ${err.message}`),
      });
      this.followers.set(file.container, follower);
      await follower.ready.catch((err: Error) =>
        this.problem(`following ${file.path}: ${err.message}`),
      );
    }
  }

  private async replayClosed(path: string): Promise<void> {
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        this.onRecord(parseRecord(line));
      } catch (err) {
        this.invalid(`${path}:${i + 1}`, (err as Error).message);
      }
    });
  }

  private onRecord(record: AuditRecord): void {
    const alert = toRoomAlert(record, this.opts.prefix, this.acked);
    if (alert) this.enqueue(alert);
  }

  private invalid(where: string, problem: string): void {
    this.problem(`${where}: not an audit record (${problem})`);
  }

  private enqueue(alert: RoomAlert): void {
    this.pending.push(alert);
    if (this.flushScheduled || this.replaying) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.closed) return;
    const batch = this.pending;
    this.pending = [];
    this.sink.addAlerts(batch);
  }

  private problem(message: string): void {
    this.opts.onProblem?.(message);
  }
}
