import { chmod, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { IncusApi } from '../../../incus/index.js';
import { sha256 } from './copy-in.js';
import type { WriteBackRecord } from './write-back-records.js';

const MAX_LOGIN_BYTES = 16 << 20;

/**
 * Writes back the logins the agent rotated inside: a copy that changed since it was copied in and
 * is newer than the host's file replaces it atomically (temp file + rename), with the host file's
 * mode. A host file that is gone (logged out on the host) is not brought back. Returns the host
 * paths written.
 */
export async function writeBackLogins(
  incus: Pick<IncusApi, 'files'>,
  container: string,
  records: readonly WriteBackRecord[],
): Promise<string[]> {
  const written: string[] = [];
  for (const record of records) {
    // Not followed: a symlink planted inside must not name what is read.
    const inside = await incus.files.stat(container, record.container);
    if (inside?.type !== 'file') continue;
    const bytes = await incus.files.pull(container, record.container, {
      maxBytes: MAX_LOGIN_BYTES,
    });
    if (sha256(bytes) === record.sha256) continue;
    // A symlinked login (kept with the dotfiles) stays a symlink: its target is replaced.
    const target = await realpath(record.host).catch(() => undefined);
    const host = target === undefined ? undefined : await stat(target);
    if (!target || !host?.isFile() || !(incusTimeMs(inside.modified) > host.mtimeMs)) continue;
    await replaceAtomically(target, bytes, host.mode & 0o777);
    written.push(record.host);
  }
  return written;
}

async function replaceAtomically(path: string, bytes: Buffer, mode: number): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.coi-${process.pid}`);
  try {
    await writeFile(temp, bytes, { mode, flag: 'wx' });
    // The umask may have taken bits away.
    await chmod(temp, mode);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

const INCUS_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? ([+-]\d{2})(\d{2})\b/;

/** An Incus file time (`2026-11-23 11:20:33.5 +0000 UTC`) in ms since the epoch; NaN if unreadable. */
export function incusTimeMs(text: string): number {
  const m = INCUS_TIME.exec(text);
  if (!m) return NaN;
  const [, day, time, fraction = '', hours, minutes] = m;
  return Date.parse(`${day}T${time}${fraction.slice(0, 4)}${hours}:${minutes}`);
}
