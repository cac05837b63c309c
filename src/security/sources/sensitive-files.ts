import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { sensitivePathPattern } from '../detectors/sensitive-file.js';

/**
 * Opens and writes of the container's sensitive files (see detectors/sensitive-file.ts), from
 * the host: one `inotifywait -m` on their directories through /proc/<init pid>/root. Directories
 * are watched rather than files because account tools replace files by renaming (a watch on the
 * old inode would go quiet); `--include` keeps the rest of /etc (ld.so.cache, opened by every
 * exec) out of this process. Reads are seen as ACCESS, not OPEN: an open does not say whether it
 * is for reading or writing.
 */

export interface FileTouch {
  /** The path inside the container. */
  path: string;
  /** inotify events, e.g. `OPEN` or `CLOSE_WRITE,CLOSE`. */
  events: string;
}

export class SensitiveFileWatcher {
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;

  constructor(
    rootPid: number,
    directories: readonly string[],
    home: string,
    onTouch: (touch: FileTouch) => void,
  ) {
    const root = `/proc/${rootPid}/root`;
    this.child = spawn(
      'inotifywait',
      [
        '-m',
        ...['access', 'modify', 'close_write', 'moved_to', 'create'].flatMap((e) => ['-e', e]),
        '--include',
        sensitivePathPattern(root, home),
        '--format',
        '%w%f\t%e',
        ...directories.map((d) => `${root}${d}`),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const [hostPath = '', events = ''] = line.split('\t');
      onTouch({ path: hostPath.slice(root.length), events });
    });
    this.ready = new Promise((resolve, reject) => {
      createInterface({ input: this.child.stderr! }).on('line', (line) => {
        if (/Watches established/.test(line)) resolve();
      });
      this.child.on('error', (err) => reject(new Error(`inotifywait: ${err.message}`)));
      this.child.on('exit', (code) => reject(new Error(`inotifywait exited (${code})`)));
    });
    // Not a swallow: the owner awaits `ready` and reports it; this keeps it from being unhandled.
    this.ready.catch(() => undefined);
  }

  /** The directories among `directories` that exist in the container with init pid `rootPid`. */
  static present(rootPid: number, directories: readonly string[]): string[] {
    return directories.filter((d) => existsSync(`/proc/${rootPid}/root${d}`));
  }

  stop(): void {
    this.child.removeAllListeners('exit');
    this.child.kill();
  }
}
