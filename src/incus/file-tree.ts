import { constants, createReadStream } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IncusClient } from './client.js';
import { IncusError } from './errors.js';
import { ExecApi } from './exec.js';
import {
  containedLinkTarget,
  FIND_FORMAT,
  isPlainRelativePath,
  parseFindListing,
  type TreeEntry,
} from './file-tree-policy.js';
import { discard, FilesApi } from './files.js';
import type { FileTreeService } from './interfaces.js';

export interface TreeCopyResult {
  files: number;
  directories: number;
  symlinks: number;
  /** Entries left out and why, e.g. a symlink pointing outside the tree or a fifo. */
  warnings: string[];
}

export interface PushTreeOptions {
  /** In-container owner of everything created (default 0:0). */
  uid?: number;
  gid?: number;
}

export interface PullTreeOptions {
  /** Abort a file whose download stalls this long (a path swapped for a fifo blocks for ever). */
  idleTimeoutMs?: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** Host files are created private and get their mode once written; no setuid/setgid/sticky. */
const HOST_PERMISSION_BITS = 0o777;
const NEW_HOST_FILE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

/**
 * Copies whole directories between the host and a container. Pulling treats the container as
 * untrusted: it never follows container symlinks, never reads fifos, sockets or devices, never
 * recreates a symlink that points outside the copied tree, never writes through a host symlink,
 * and drops setuid/setgid bits. Where the copy lands (cp semantics) is the caller's choice.
 */
export class FileTreeApi implements FileTreeService {
  private readonly files: FilesApi;
  private readonly exec: ExecApi;

  constructor(client: IncusClient) {
    this.files = new FilesApi(client);
    this.exec = new ExecApi(client);
  }

  /** Copies host directory `hostDir` to `containerDir` (created, with missing parents). */
  async push(
    instance: string,
    hostDir: string,
    containerDir: string,
    opts: PushTreeOptions = {},
  ): Promise<TreeCopyResult> {
    const root = await lstat(hostDir);
    if (!root.isDirectory()) throw new IncusError(`cannot push ${hostDir}: not a directory`, 400);
    const owner = { uid: opts.uid, gid: opts.gid };
    await this.files.mkdirp(instance, posix.dirname(containerDir), owner);
    await this.files.mkdir(instance, containerDir, {
      ...owner,
      mode: root.mode & HOST_PERMISSION_BITS,
    });
    const result: TreeCopyResult = { files: 0, directories: 1, symlinks: 0, warnings: [] };
    await this.pushChildren(instance, hostDir, containerDir, owner, result);
    return result;
  }

  private async pushChildren(
    instance: string,
    hostDir: string,
    containerDir: string,
    owner: PushTreeOptions,
    result: TreeCopyResult,
  ): Promise<void> {
    for (const entry of await readdir(hostDir, { withFileTypes: true })) {
      const from = join(hostDir, entry.name);
      const to = posix.join(containerDir, entry.name);
      if (entry.isSymbolicLink()) {
        await this.files.symlink(instance, to, await readlink(from), owner);
        result.symlinks++;
      } else if (entry.isDirectory()) {
        const mode = (await lstat(from)).mode & HOST_PERMISSION_BITS;
        await this.files.mkdir(instance, to, { ...owner, mode });
        result.directories++;
        await this.pushChildren(instance, from, to, owner, result);
      } else if (entry.isFile()) {
        const mode = (await lstat(from)).mode & HOST_PERMISSION_BITS;
        await this.files.push(instance, to, createReadStream(from), { ...owner, mode });
        result.files++;
      } else {
        result.warnings.push(`${from}: skipped, not a regular file, directory or symlink`);
      }
    }
  }

  /**
   * Copies container directory `containerDir` to `hostDir` (created if missing; an existing
   * directory is merged into, files in it overwritten, never deleted).
   */
  async pull(
    instance: string,
    containerDir: string,
    hostDir: string,
    opts: PullTreeOptions = {},
  ): Promise<TreeCopyResult> {
    const root = await this.files.stat(instance, containerDir);
    if (root?.type !== 'directory') {
      throw new IncusError(
        `cannot pull ${instance}:${containerDir}: ${root ? `it is a ${root.type}` : 'no such directory'}`,
        400,
      );
    }
    const entries = await this.listTree(instance, containerDir);
    await ensureHostDir(hostDir);
    const result: TreeCopyResult = {
      files: 0,
      directories: 1,
      symlinks: 0,
      warnings: [...entries.warnings],
    };
    const created = new Set<string>(['.']);
    const modes: Array<[string, number]> = [[hostDir, root.mode]];
    for (const entry of entries.entries) {
      const where = `${containerDir.replace(/\/+$/, '')}/${entry.path}`;
      if (!isPlainRelativePath(entry.path)) {
        result.warnings.push(`${JSON.stringify(entry.path)}: skipped, not a plain relative path`);
        continue;
      }
      // Anything under a skipped directory is skipped with it; its own warning says why.
      if (!created.has(posix.dirname(entry.path))) continue;
      const to = join(hostDir, ...entry.path.split('/'));
      switch (entry.kind) {
        case 'directory':
          await ensureHostDir(to);
          created.add(entry.path);
          modes.push([to, entry.mode]);
          result.directories++;
          break;
        case 'file':
          if (await this.pullFile(instance, where, to, entry, opts, result)) {
            modes.push([to, entry.mode]);
            result.files++;
          }
          break;
        case 'symlink': {
          const target = containedLinkTarget(entry.path, entry.target, containerDir);
          if (target === undefined) {
            result.warnings.push(
              `${where}: symlink to ${entry.target} not recreated, it points outside ${containerDir}`,
            );
          } else if (await createSymlink(target, to)) {
            result.symlinks++;
          } else {
            result.warnings.push(`${to}: already exists on the host, left as it is`);
          }
          break;
        }
        default:
          result.warnings.push(`${where}: skipped, a ${entry.kind} is not copied to the host`);
      }
    }
    // Modes last, deepest first, so read-only directories did not block their own filling.
    for (const [path, mode] of modes.reverse()) await chmod(path, mode & HOST_PERMISSION_BITS);
    return result;
  }

  /** Lists a container directory with types, without following symlinks (GNU find inside). */
  private async listTree(
    instance: string,
    containerDir: string,
  ): Promise<{ entries: TreeEntry[]; warnings: string[] }> {
    const run = await this.exec.run(instance, [
      'find',
      '-P',
      containerDir,
      '-mindepth',
      '1',
      '-printf',
      FIND_FORMAT,
    ]);
    if (run.exitCode === 127) {
      throw new IncusError(
        `cannot list ${instance}:${containerDir}: \`find\` is not installed in the container`,
        500,
      );
    }
    const { entries, undecodable } = parseFindListing(run.stdout);
    const warnings: string[] = [];
    if (run.exitCode !== 0) {
      warnings.push(
        `listing ${containerDir} was incomplete: ${run.stderr.toString('utf8').trim().slice(0, 500)}`,
      );
    }
    if (undecodable > 0)
      warnings.push(`${undecodable} entries skipped: their names are not valid UTF-8`);
    return { entries, warnings };
  }

  /** Downloads one listed regular file, bounded by its listed size and an idle timeout. */
  private async pullFile(
    instance: string,
    where: string,
    to: string,
    entry: TreeEntry,
    opts: PullTreeOptions,
    result: TreeCopyResult,
  ): Promise<boolean> {
    const idle = new IdleAbort(opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    try {
      const { stat, body } = await this.files.open(instance, where, { signal: idle.signal });
      if (stat.type !== 'file') {
        discard(body);
        result.warnings.push(`${where}: skipped, it changed into a ${stat.type} while copying`);
        return false;
      }
      const file = await open(to, NEW_HOST_FILE_FLAGS, 0o600);
      await pipeline(
        body,
        sizeGuard(entry.size, where, () => idle.touch()),
        file.createWriteStream(),
      );
      return true;
    } catch (err) {
      if (idle.signal.aborted) {
        await rm(to, { force: true });
        result.warnings.push(`${where}: skipped, no data for ${idle.ms} ms (a fifo or device?)`);
        return false;
      }
      throw err;
    } finally {
      idle.stop();
    }
  }
}

/** Creates the host destination, or accepts an existing real directory (never a symlink to one). */
async function ensureHostDir(path: string): Promise<void> {
  try {
    await mkdir(path, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (!(await lstat(path)).isDirectory()) {
      throw new IncusError(`cannot pull into ${path}: it exists and is not a directory`, 409);
    }
  }
}

/** Creates a host symlink; false when something already exists there. */
async function createSymlink(target: string, path: string): Promise<boolean> {
  try {
    await symlink(target, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Passes bytes through, failing once more arrive than the listing announced (e.g. a swapped-in device). */
function sizeGuard(expected: number, where: string, onData: () => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      onData();
      if (seen > expected)
        cb(new IncusError(`${where} grew past its listed ${expected} bytes while copying`, 413));
      else cb(null, chunk);
    },
  });
}

/** An AbortSignal that fires when `touch()` has not been called for `ms`. */
class IdleAbort {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;

  constructor(readonly ms: number) {
    this.timer = setTimeout(() => this.controller.abort(), ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    this.timer.refresh();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
