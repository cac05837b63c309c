import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { sessionLogPaths } from './paths.js';

type Stream = 'stdout' | 'stderr';

/**
 * Writes a session's logs, which `coi logs` reads: coi's own progress lines (stdout log) and
 * errors (stderr log), each stamped `2006/01/02 15:04:05 ` as the Go coi's logger does, and the
 * output of a `coi run` command as it is. Until the container has a name, lines wait in memory.
 */
export class SessionLog {
  private container?: string;
  private pending: Array<[Stream, string | Buffer]> = [];
  private broken = false;
  private dirMade = false;

  constructor(
    private readonly coiDir: string,
    container?: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (container) this.attach(container);
  }

  /** Names the container: what was logged so far is written to its files now. */
  attach(container: string): void {
    this.container = container;
    const pending = this.pending;
    this.pending = [];
    for (const [stream, data] of pending) this.write(stream, data);
  }

  info(message: string): void {
    this.write('stdout', this.stamped(message));
  }

  error(message: string): void {
    this.write('stderr', this.stamped(message));
  }

  /** A chunk of a command's output, unchanged. */
  output(stream: Stream, chunk: string | Buffer): void {
    this.write(stream, chunk);
  }

  private stamped(message: string): string {
    const d = this.now();
    const two = (n: number) => String(n).padStart(2, '0');
    const date = `${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())}`;
    const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
    return `${date} ${time} ${message}\n`;
  }

  private write(stream: Stream, data: string | Buffer): void {
    if (this.broken) return;
    if (!this.container) {
      this.pending.push([stream, data]);
      return;
    }
    const path = sessionLogPaths(this.coiDir, this.container)[stream];
    try {
      if (!this.dirMade) mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
      this.dirMade = true;
      appendFileSync(path, data, { mode: 0o640 });
    } catch {
      // The log is a convenience: a session never fails for it (full disk, unwritable ~/.coi).
      this.broken = true;
    }
  }
}
