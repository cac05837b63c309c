import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { posix } from 'node:path';
import type { FilesService } from '../../../incus/interfaces.js';
import { PROC } from '../../../security/sources/proc-read.js';

/** More than any state word: a longer file is not one the hooks wrote. */
const MAX_BYTES = 64;
const API_TIMEOUT_MS = 2000;
export const DENIED = Symbol('denied');

/**
 * Reads `relative` under `root` without following a symlink anywhere on the way (the agent owns
 * the directories; through /proc/<pid>/root an absolute link would lead into the host's tree) and
 * without blocking on a fifo or reading a device. DENIED when this process may not look there.
 */
export function readUnderRoot(root: string, relative: string): string | undefined | typeof DENIED {
  const parts = relative.split('/').filter((p) => p !== '');
  const file = parts.pop();
  if (file === undefined) return undefined;
  let at = root;
  try {
    for (const part of parts) {
      at = `${at}/${part}`;
      if (!lstatSync(at).isDirectory()) return undefined;
    }
    const fd = openSync(
      `${at}/${file}`,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
    try {
      if (!fstatSync(fd).isFile()) return undefined;
      const buffer = Buffer.alloc(MAX_BYTES + 1);
      const length = readSync(fd, buffer, 0, buffer.length, 0);
      return length > MAX_BYTES ? undefined : buffer.subarray(0, length).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return DENIED;
    // Absent, a symlink (ELOOP), or gone with the process: nothing to read.
    return undefined;
  }
}

export interface HookFileTarget {
  container: string;
  /** A process of the container (its root is the container's). */
  pid: number;
  /** Absolute path inside the container. */
  path: string;
}

/**
 * The state file's text, read where it is cheapest: through the agent's root in the host's /proc
 * (tens of microseconds; needs the rights to look into the container's processes, i.e. root),
 * else with the Incus file API (a request the daemon serves with a helper inside the container,
 * about 10 ms of CPU between them; coi falls back to it for good after the first refusal).
 */
export class HookFileReader {
  private directAllowed = true;

  /** `readDirect` reads a path of the process's root; by default through the host's /proc. */
  constructor(
    private readonly files: Pick<FilesService, 'pull'>,
    private readonly readDirect: (pid: number, path: string) => ReturnType<typeof readUnderRoot>,
  ) {}

  static throughProc(files: Pick<FilesService, 'pull'>, proc = PROC): HookFileReader {
    return new HookFileReader(files, (pid, path) =>
      readUnderRoot(`${proc}/${pid}/root`, posix.normalize(path)),
    );
  }

  /** Reads cost next to nothing (the direct way has not been refused): no need to ration them. */
  get cheap(): boolean {
    return this.directAllowed;
  }

  async read(target: HookFileTarget): Promise<string | undefined> {
    if (this.directAllowed) {
      const text = this.readDirect(target.pid, target.path);
      if (text !== DENIED) return text;
      this.directAllowed = false;
    }
    try {
      const bytes = await this.files.pull(target.container, target.path, {
        maxBytes: MAX_BYTES,
        signal: AbortSignal.timeout(API_TIMEOUT_MS),
      });
      return bytes.toString('utf8');
    } catch {
      // Absent, too long, or the container went away: nothing to read this time.
      return undefined;
    }
  }
}
