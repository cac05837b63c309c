import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import type { Alert } from '../alert.js';
import { DnsVolumeDetector, classifyNetworkEvent } from '../detectors/network.js';
import { parseKmsgRecord, parseNftLog, type KmsgRecord, type NftLogEvent } from './kmsg-parse.js';

const KMSG = '/dev/kmsg';
/** A read of /dev/kmsg shorter than the record fails with EINVAL; records are at most ~8 KiB. */
const READ_SIZE = 64 * 1024;
const RESTART_DELAY_MS = 200;

export interface KmsgNetworkEvent {
  /** The container that owns the address, or undefined when the caller does not know it. */
  container: string | undefined;
  event: NftLogEvent;
  record: KmsgRecord;
  /** Undefined for lines that raise none (`conn`, `dnsq` below the DNS volume threshold). */
  alert: Alert | undefined;
  /** `process.hrtime.bigint()` when the line arrived, for latency measurements. */
  receivedAt: bigint;
}

export interface KmsgSourceOptions {
  /** Container name for a container IPv4 (e.g. `NetworkGuard.containerOf`). */
  containerOf: (ip: string) => string | undefined;
  onEvent: (event: KmsgNetworkEvent) => void;
  /** The reader failed and could not be restarted; events stop until `start` is called again. */
  onError?: (err: Error) => void;
  /**
   * `[monitoring.nft] dns_query_threshold` of the container with this address (queries per
   * minute; 0: off). Off when not given.
   */
  dnsQueryThresholdOf?: (containerIp: string) => number;
}

/**
 * Follows /dev/kmsg from its end and turns the lines of coi's nft log rules into network events
 * with their alerts. The device is read by `dd` (one blocking read() per record with a large
 * buffer, written through a pipe), so Node waits on the pipe and no thread sits blocked on the
 * device; stopping is killing it. If the kernel overwrote records before they were read (EPIPE),
 * `dd` exits and is restarted, continuing after the last sequence number delivered.
 */
export class KmsgNetworkSource {
  private child?: ChildProcess;
  private lastSeq = -1;
  private pending = '';
  private stopped = true;
  private readonly dnsVolume: DnsVolumeDetector;

  constructor(private readonly options: KmsgSourceOptions) {
    this.dnsVolume = new DnsVolumeDetector(options.dnsQueryThresholdOf ?? (() => 0));
  }

  /** Starts after the newest record already in the buffer; resolves once reading. */
  start(): Promise<void> {
    if (!this.stopped) return Promise.resolve();
    this.stopped = false;
    this.lastSeq = lastSequence();
    return this.spawnReader();
  }

  stop(): void {
    this.stopped = true;
    this.child?.kill();
    this.child = undefined;
  }

  private spawnReader(): Promise<void> {
    const child = spawn('dd', [`if=${KMSG}`, `bs=${READ_SIZE}`, 'status=none'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.consume(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-500)));
    child.on('exit', (code, signal) => {
      if (this.child !== child || this.stopped) return;
      this.child = undefined;
      const why = `reading ${KMSG} stopped (${signal ?? `exit ${code}`}): ${stderr.trim()}`;
      // EPIPE (records overwritten before they were read) ends dd; anything else is reported.
      if (!/Broken pipe/.test(stderr)) {
        this.stopped = true;
        this.options.onError?.(new Error(why));
        return;
      }
      setTimeout(() => {
        if (!this.stopped) this.spawnReader().catch((err: Error) => this.options.onError?.(err));
      }, RESTART_DELAY_MS);
    });
    return new Promise((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => {
        this.stopped = true;
        reject(new Error(`cannot start dd to read ${KMSG}: ${err.message}`));
      });
    });
  }

  /**
   * dd writes each record with one write() (atomic through a pipe), so a chunk holds whole records
   * unless it ends without a newline. A record is its message line plus ` KEY=value` lines.
   */
  private consume(chunk: string): void {
    const text = this.pending + chunk;
    const end = text.lastIndexOf('\n') + 1;
    this.pending = text.slice(end);
    const receivedAt = process.hrtime.bigint();
    let record = '';
    for (const line of text.slice(0, end).split('\n').slice(0, -1)) {
      if (line.startsWith(' ')) {
        record += `${line}\n`;
        continue;
      }
      if (record) this.deliver(record, receivedAt);
      record = `${line}\n`;
    }
    if (record) this.deliver(record, receivedAt);
  }

  private deliver(text: string, receivedAt: bigint): void {
    const record = parseKmsgRecord(text);
    if (!record || record.seq <= this.lastSeq) return;
    this.lastSeq = record.seq;
    // Only the kernel logs with facility 0; the kernel forces anything written to /dev/kmsg from
    // user space to another, so a forged coi line cannot raise (or frame another container with)
    // an alert.
    if (record.facility !== 0) return;
    const event = parseNftLog(record.message);
    if (!event) return;
    const alert =
      classifyNetworkEvent(event) ?? this.dnsVolume.observe(event, Date.now()) ?? undefined;
    this.options.onEvent({
      container: this.options.containerOf(event.containerIp),
      event,
      record,
      alert,
      receivedAt,
    });
  }
}

/** The sequence number of the newest record in the kernel's buffer (-1 when it is empty). */
function lastSequence(): number {
  const fd = openSync(KMSG, constants.O_RDONLY | constants.O_NONBLOCK);
  const buffer = Buffer.alloc(READ_SIZE);
  let last = -1;
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, buffer.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') return last;
        if (code === 'EPIPE') continue;
        throw err;
      }
      const seq = parseKmsgRecord(buffer.toString('utf8', 0, n))?.seq;
      if (seq !== undefined) last = seq;
    }
  } finally {
    closeSync(fd);
  }
}
