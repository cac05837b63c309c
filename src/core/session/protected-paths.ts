import { chown, lstat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { run } from '../../shared/run.js';
import { CoiError } from '../../shared/errors.js';

/** Protected paths that are files; every other protected path is a directory. */
const FILE_PATHS = /(^|\/)(config|config\.worktree|attributes)$|\.(json|toml|ya?ml|md)$/;

export class ProtectedPathError extends CoiError {}

/** The agent's own settings, writable with `[security] writable_agent_config`. */
const AGENT_CONFIG_PATHS = [
  '.claude/settings.json',
  '.claude/settings.local.json',
  '.codex/config.toml',
];

/**
 * The protected paths of a config: the defaults plus the additional ones, unless disabled;
 * `.git/hooks` stays writable with `[git] writable_hooks`, the agent's settings with
 * `writable_agent_config`, and `writable_paths` carve out a path with everything below it.
 */
export function protectedPathList(config: Config): string[] {
  const { security } = config;
  if (security.disable_protection) return [];
  const writable = [...security.writable_paths];
  if (config.git.writable_hooks) writable.push('.git/hooks');
  if (security.writable_agent_config) writable.push(...AGENT_CONFIG_PATHS);
  const carved = writable.map(normalise);
  const all = new Set(
    [...security.protected_paths, ...security.additional_protected_paths].map(normalise),
  );
  return [...all].filter((rel) => !carved.some((w) => rel === w || rel.startsWith(`${w}/`)));
}

/**
 * `writable_paths` below a protected directory (`.vscode/settings.json` while `.vscode` stays
 * protected): mounted writable over the read-only directory.
 */
export function writableCarveOuts(config: Config): string[] {
  const protectedPaths = protectedPathList(config);
  return [...new Set(config.security.writable_paths.map(normalise))].filter((w) =>
    protectedPaths.some((p) => w.startsWith(`${p}/`)),
  );
}

/** `./.vscode/` and `.vscode` are one path. */
function normalise(rel: string): string {
  return rel
    .split('/')
    .filter((p) => p && p !== '.')
    .join('/');
}

/**
 * Makes every protected path exist on the host before it is mounted read-only over the workspace
 * (an agent must not be able to plant one that was missing), and returns the ones to protect. A
 * symlink anywhere on a protected path is refused: it could point anywhere on the host. A path
 * whose parent is a file (`.git` of a git worktree) cannot exist and is left out.
 */
export async function materialiseProtectedPaths(
  workspace: string,
  paths: string[],
  uid: number,
  gid: number,
): Promise<string[]> {
  const usable: string[] = [];
  for (const rel of paths) {
    const parts = rel.split('/').filter((p) => p && p !== '.');
    const isFile = FILE_PATHS.test(rel);
    let current = workspace;
    let ok = true;
    for (const [i, part] of parts.entries()) {
      current = join(current, part);
      const last = i === parts.length - 1;
      // Missing: nothing to follow, and a path that does not exist yet is fine.
      const stat = await lstat(current).catch(() => undefined);
      if (stat?.isSymbolicLink()) {
        throw new ProtectedPathError(
          `protected path ${rel} in ${workspace} goes through the symlink ${current}; replace it with a real file or directory, or remove ${rel} from security.protected_paths`,
        );
      }
      if (stat) {
        if (!last && !stat.isDirectory()) ok = false;
        if (!ok) break;
        continue;
      }
      if (await create(current, last && isFile)) await chown(current, uid, gid);
    }
    if (ok) usable.push(rel);
  }
  return usable;
}

/** Creates an empty file or a directory; false when a concurrent launch was faster. */
async function create(path: string, file: boolean): Promise<boolean> {
  try {
    if (file) await writeFile(path, '', { flag: 'wx' });
    else await mkdir(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * `chattr +i` on the host for the session (`security.host_immutable`): not even a host process
 * writing through another path can change a protected path while the agent runs. Filesystems
 * without the attribute (tmpfs, overlay) are skipped: the read-only mount still holds.
 */
export async function lockPaths(paths: string[]): Promise<void> {
  // A filesystem without the attribute is the skip documented above, not an error.
  await Promise.all(paths.map((abs) => run('chattr', ['+i', abs]).catch(() => undefined)));
}

export async function unlockPaths(paths: string[]): Promise<void> {
  // As in lockPaths: where `chattr` fails, the path was never made immutable.
  await Promise.all(paths.map((abs) => run('chattr', ['-i', abs]).catch(() => undefined)));
}
