import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../config/index.js';
import { run } from '../host/run.js';

/** Protected paths that are files; every other protected path is a directory. */
const FILE_PATHS = /(^|\/)(config|config\.worktree|attributes)$|\.(json|toml|ya?ml|md)$/;

export class ProtectedPathError extends Error {
  readonly exitCode = 1;
}

/** The protected paths of a config: the defaults plus the additional ones, unless disabled. */
export function protectedPathList(config: Config): string[] {
  if (config.security.disable_protection) return [];
  return [
    ...new Set([...config.security.protected_paths, ...config.security.additional_protected_paths]),
  ];
}

/**
 * Makes every protected path exist on the host before it is mounted read-only over the workspace
 * (an agent must not be able to plant one that was missing). A protected path that is a symlink
 * is refused: it could point anywhere.
 */
export async function materialiseProtectedPaths(
  workspace: string,
  paths: string[],
  uid: number,
  gid: number,
): Promise<void> {
  for (const rel of paths) {
    const abs = join(workspace, rel);
    const stat = await lstat(abs).catch(() => undefined);
    if (stat?.isSymbolicLink()) {
      throw new ProtectedPathError(
        `protected path ${rel} in ${workspace} is a symlink; replace it with a real file or directory, or remove it from security.protected_paths`,
      );
    }
    if (stat) continue;
    await mkdirOwned(workspace, FILE_PATHS.test(rel) ? dirname(rel) : rel, uid, gid);
    if (FILE_PATHS.test(rel)) {
      await writeFile(abs, '', { flag: 'wx' }).catch(() => undefined);
      await run('chown', [`${uid}:${gid}`, abs]);
    }
  }
}

async function mkdirOwned(workspace: string, rel: string, uid: number, gid: number): Promise<void> {
  let current = workspace;
  for (const part of rel.split('/').filter((p) => p && p !== '.')) {
    current = join(current, part);
    const created = await mkdir(current).then(
      () => true,
      () => false,
    );
    if (created) await run('chown', [`${uid}:${gid}`, current]);
  }
}

/**
 * `chattr +i` on the host for the session (`security.host_immutable`): not even a host process
 * writing through another path can change a protected path while the agent runs. Filesystems
 * without the attribute (tmpfs, overlay) are skipped: the read-only mount still holds.
 */
export async function lockProtectedPaths(workspace: string, paths: string[]): Promise<string[]> {
  const locked: string[] = [];
  for (const rel of paths) {
    const abs = join(workspace, rel);
    try {
      await run('chattr', ['+i', abs]);
      locked.push(abs);
    } catch {
      // Not supported here; the read-only bind mount is the protection that always applies.
    }
  }
  return locked;
}

export async function unlockPaths(paths: string[]): Promise<void> {
  for (const abs of paths) await run('chattr', ['-i', abs]).catch(() => undefined);
}
