import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { IncusApi } from '../../../incus/index.js';
import { CoiError } from '../../../shared/errors.js';
import type { SystemFile } from '../../tools/types.js';
import type { HostCopy } from './plan.js';
import type { WriteBackRecord } from './write-back-records.js';

export class HostCopyError extends CoiError {}

const MAX_MERGE_BYTES = 1 << 20;

/**
 * Copies the host files into the container, owned by the code user with the planned mode (a
 * file there already, e.g. from a restored session, is replaced). Missing host files are
 * skipped. Returns what may be written back when the session ends.
 */
export async function copyHostFiles(
  incus: IncusApi,
  container: string,
  copies: readonly HostCopy[],
  uid: number,
): Promise<WriteBackRecord[]> {
  const records: WriteBackRecord[] = [];
  const push = (path: string, content: Buffer | string, mode: number) =>
    incus.files.push(container, path, content, { uid, gid: uid, mode, createParents: true });
  for (const copy of copies) {
    // A declared file may be a symlink (dotfiles kept elsewhere): its target is copied.
    const found = await stat(copy.host).catch(() => undefined);
    if (copy.merge) {
      const base = found?.isFile()
        ? await readFile(copy.host, 'utf8')
        : await currentText(incus, container, copy.container);
      const content = copy.merge(base);
      if (content !== undefined) await push(copy.container, content, copy.mode);
      continue;
    }
    if (!found) continue;
    if (found.isDirectory()) {
      if (copy.writeBack) {
        throw new HostCopyError(
          `${copy.origin}: ${copy.host} is a directory, and write_back works on files only: list the files to write back in host = [...] instead`,
        );
      }
      for (const file of await filesUnder(copy.host)) {
        await push(
          posix.join(copy.container, file),
          await readFile(join(copy.host, file)),
          copy.mode,
        );
      }
      continue;
    }
    const bytes = await readFile(copy.host);
    await push(copy.container, bytes, copy.mode);
    if (copy.writeBack) {
      records.push({
        host: copy.host,
        container: copy.container,
        mode: copy.mode,
        sha256: sha256(bytes),
      });
    }
  }
  return records;
}

/** Root-owned files outside the home, world-readable. */
export async function writeSystemFiles(
  incus: IncusApi,
  container: string,
  files: readonly SystemFile[],
): Promise<void> {
  for (const file of files) {
    await incus.files.push(container, file.path, file.content, {
      uid: 0,
      gid: 0,
      mode: 0o644,
      createParents: true,
    });
  }
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function currentText(
  incus: IncusApi,
  container: string,
  path: string,
): Promise<string | undefined> {
  const found = await incus.files.stat(container, path);
  if (found?.type !== 'file') return undefined;
  return (await incus.files.pull(container, path, { maxBytes: MAX_MERGE_BYTES })).toString('utf8');
}

/** Regular files under a directory, relative to it; symlinks are not followed. */
async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const info = await lstat(join(dir, name));
    if (info.isDirectory()) {
      for (const inner of await filesUnder(join(dir, name))) files.push(posix.join(name, inner));
    } else if (info.isFile()) files.push(name);
  }
  return files;
}
