import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { SessionLogPaths } from './paths.js';
import { ERR_PREFIX } from './read.js';

export interface FollowOptions {
  /** How often the files are looked at; the Go coi polls every 200 ms. */
  intervalMs?: number;
  /** Start with what the files hold already (no line written meanwhile is lost), not at their end. */
  fromStart?: boolean;
}

export interface LogFollower {
  /** Stops polling and prints a last line still waiting for its newline. */
  stop(): void;
}

const POLL_MS = 200;

/** One followed file: how far it was printed, and the start of a line not finished yet. */
class Followed {
  private offset: number | undefined;
  private inode: number | undefined;
  private partial = '';
  private decoder = new StringDecoder('utf8');

  /**
   * A file there already is followed from its end (or its start, `fromStart`); one that appears
   * later, from its start.
   */
  constructor(
    private readonly path: string,
    private readonly prefix: string,
    fromStart: boolean,
  ) {
    const stat = statOf(path);
    this.offset = stat && (fromStart ? 0 : stat.size);
    this.inode = stat?.ino;
  }

  /** The complete lines written since the last poll, each with its prefix. */
  poll(): string {
    const stat = statOf(this.path);
    if (!stat) {
      // Removed: when it comes back it is a new file, read from its start.
      if (this.offset !== undefined) this.restart(undefined);
      return '';
    }
    if (this.offset === undefined || stat.ino !== this.inode || stat.size < this.offset)
      this.restart(stat.ino);
    const from = this.offset ?? 0;
    if (stat.size === from) return '';
    const chunk = readRange(this.path, from, stat.size);
    this.offset = from + chunk.length;
    this.partial += this.decoder.write(chunk);
    const end = this.partial.lastIndexOf('\n');
    if (end < 0) return '';
    const complete = this.partial.slice(0, end);
    this.partial = this.partial.slice(end + 1);
    return complete
      .split('\n')
      .map((line) => `${this.prefix}${line}\n`)
      .join('');
  }

  rest(): string {
    const last = this.partial + this.decoder.end();
    this.partial = '';
    return last === '' ? '' : `${this.prefix}${last}\n`;
  }

  private restart(inode: number | undefined): void {
    this.offset = 0;
    this.inode = inode;
    this.partial = '';
    this.decoder = new StringDecoder('utf8');
  }
}

/**
 * `coi logs -f`: prints the lines added to either log from now on, stderr lines marked `[ERR] `,
 * waiting for files that do not exist yet and starting over on a file truncated or replaced.
 */
export function followSessionLogs(
  paths: SessionLogPaths,
  write: (text: string) => void,
  opts: FollowOptions = {},
): LogFollower {
  const fromStart = opts.fromStart ?? false;
  const files = [
    new Followed(paths.stdout, '', fromStart),
    new Followed(paths.stderr, ERR_PREFIX, fromStart),
  ];
  const tick = () => {
    for (const file of files) {
      const text = file.poll();
      if (text) write(text);
    }
  };
  if (fromStart) tick();
  const timer = setInterval(tick, opts.intervalMs ?? POLL_MS);
  return {
    stop() {
      clearInterval(timer);
      tick();
      for (const file of files) {
        const text = file.rest();
        if (text) write(text);
      }
    },
  };
}

function statOf(path: string): { size: number; ino: number } | undefined {
  try {
    return statSync(path);
  } catch {
    // Not there (yet): followed once it appears.
    return undefined;
  }
}

function readRange(path: string, from: number, to: number): Buffer {
  const buffer = Buffer.alloc(to - from);
  const fd = openSync(path, 'r');
  try {
    const read = readSync(fd, buffer, 0, buffer.length, from);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
