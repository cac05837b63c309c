import { constants, createReadStream } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { TreeCopyResult } from '../../incus/file-tree.js';
import { FIND_FORMAT, parseFindListing } from '../../incus/file-tree-policy.js';
import type { IncusApi } from '../../incus/interfaces.js';
import { FileCopyError, type ContainerPath } from './container-path.js';

export interface CopyResult extends TreeCopyResult {
  /** Where the copy landed. */
  destination: string;
}

const PERMISSION_BITS = 0o777;
/** A single pulled file may take this long at most (a slow pipe, not a stalled fifo). */
const FILE_PULL_TIMEOUT_MS = 600_000;

/** A host path's lstat; undefined when nothing is there, which each caller turns into its message. */
const lstatIfAny = (path: string) => lstat(path).catch(() => undefined);

/**
 * cp semantics for `coi file push`: into an existing directory as `<dir>/<basename>`, else at the
 * path itself, whose parent must exist. Directories need `recursive`. Pushed entries get the
 * owner of the directory they land in (so pushing into /home/code gives the code user's files).
 */
export async function pushPath(
  incus: IncusApi,
  local: string,
  target: ContainerPath,
  opts: { recursive?: boolean } = {},
): Promise<CopyResult> {
  const source = await lstatIfAny(local);
  if (!source) throw new FileCopyError(`${local}: no such file or directory`);
  if (source.isDirectory() && !opts.recursive)
    throw new FileCopyError(`${local} is a directory: use -r to copy it`, 'usage');
  if (!source.isDirectory() && !source.isFile())
    throw new FileCopyError(`${local}: only regular files and directories can be pushed`);
  await assertInstance(incus, target.container);
  const existing = await incus.files.stat(target.container, target.path);
  const destination =
    existing?.type === 'directory' ? posix.join(target.path, basename(local)) : target.path;
  const parent = posix.dirname(destination);
  const parentStat = await incus.files.stat(target.container, parent);
  if (parentStat?.type !== 'directory') {
    throw new FileCopyError(
      `${target.container}:${parent} is not an existing directory; create it first ` +
        `(coi container exec ${target.container} -- mkdir -p ${parent})`,
    );
  }
  const owner = { uid: parentStat.uid, gid: parentStat.gid };
  if (source.isDirectory()) {
    const result = await incus.fileTree.push(target.container, local, destination, owner);
    return { ...result, destination: `${target.container}:${destination}` };
  }
  await incus.files.push(target.container, destination, createReadStream(local), {
    ...owner,
    mode: source.mode & PERMISSION_BITS,
  });
  return {
    files: 1,
    directories: 0,
    symlinks: 0,
    warnings: [],
    destination: `${target.container}:${destination}`,
  };
}

/**
 * cp semantics for `coi file pull`: into an existing host directory, else at the path itself
 * (parent must exist). Nothing on the host is deleted; container symlinks are never followed,
 * and only recreated inside a pulled tree when they point inside it.
 */
export async function pullPath(
  incus: IncusApi,
  source: ContainerPath,
  local: string,
  opts: { recursive?: boolean } = {},
): Promise<CopyResult> {
  await assertInstance(incus, source.container);
  const entry = await describe(incus, source);
  const where = `${source.container}:${source.path}`;
  if (entry.kind === 'directory' && !opts.recursive)
    throw new FileCopyError(`${where} is a directory: use -r to copy it`, 'usage');
  if (entry.kind !== 'directory' && entry.kind !== 'file') {
    throw new FileCopyError(
      `${where} is a ${entry.kind}; only regular files and directories are pulled (symlinks are not followed)`,
    );
  }
  const host = await lstatIfAny(local);
  const destination = host?.isDirectory() ? join(local, posix.basename(source.path)) : local;
  const parent = join(destination, '..');
  if (!(await lstatIfAny(parent))?.isDirectory())
    throw new FileCopyError(`${parent} is not an existing directory; create it first`);
  if (entry.kind === 'directory') {
    const result = await incus.fileTree.pull(source.container, source.path, destination);
    return { ...result, destination };
  }
  const existing = await lstatIfAny(destination);
  if (existing && !existing.isFile())
    throw new FileCopyError(`${destination} exists and is not a regular file; left as it is`);
  const { stat, body } = await incus.files.open(source.container, source.path, {
    signal: AbortSignal.timeout(FILE_PULL_TIMEOUT_MS),
  });
  if (stat.type !== 'file') {
    body.destroy();
    throw new FileCopyError(`${where} changed into a ${stat.type} while copying`);
  }
  const file = await open(
    destination,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
    entry.mode & PERMISSION_BITS,
  );
  await pipeline(body, file.createWriteStream());
  return { files: 1, directories: 0, symlinks: 0, warnings: [], destination };
}

async function assertInstance(incus: IncusApi, container: string): Promise<void> {
  if (!(await incus.instances.exists(container)))
    throw new FileCopyError(`container "${container}" does not exist`);
}

/** `describe`'s exit code for a path that does not exist (not even as a dangling symlink). */
const MISSING = 66;
/** Tries of `describe` that came back with an exit code but no output. */
const DESCRIBE_TRIES = 3;

/**
 * The real type of a container path (fifos and devices included), without following symlinks.
 * A missing path is told by its exit code, never by reading stderr: under load an exec's exit
 * code arrives but a short output can be lost (seen once in a full run), and find's listing of
 * an existing path is never empty, so an empty one is asked again.
 */
async function describe(
  incus: IncusApi,
  source: ContainerPath,
): Promise<{ kind: string; mode: number }> {
  const script = `[ -e "$1" ] || [ -L "$1" ] || exit ${MISSING}; exec find -P "$1" -maxdepth 0 -printf "$2"`;
  const argv = ['sh', '-c', script, 'sh', source.path, FIND_FORMAT];
  let run = await incus.exec.run(source.container, argv);
  for (let i = 1; i < DESCRIBE_TRIES && run.exitCode === 0 && run.stdout.length === 0; i++)
    run = await incus.exec.run(source.container, argv);
  if (run.exitCode === MISSING)
    throw new FileCopyError(`${source.container}:${source.path}: no such file or directory`);
  if (run.exitCode !== 0) {
    const reason = run.stderr.toString('utf8').trim();
    throw new FileCopyError(
      `cannot inspect ${source.container}:${source.path}: ${reason || `find exited ${run.exitCode}`}`,
    );
  }
  const [entry] = parseFindListing(run.stdout).entries;
  return { kind: entry?.kind ?? 'file', mode: entry?.mode ?? 0o644 };
}
