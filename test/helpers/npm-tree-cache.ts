import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Host-side, outlives runs (like the test images); one tree per package list. */
export const NPM_TREE_CACHE = '/var/cache/coi-test/npm-trees';

/**
 * Unpinned packages move on: a tree older than this is installed again, so a release that breaks
 * in coi-default still shows within a day.
 */
const MAX_AGE_MS = 24 * 3600_000;

/**
 * The directory `install` filled for `packages`, from the cache when it did so within a day.
 * `install(dir)` installs into `dir`; it is moved into place whole, so a run that stops midway
 * or runs beside another never leaves a half tree to be reused. Returns the tree and whether it
 * was installed now.
 */
export async function cachedNpmTree(
  packages: readonly string[],
  install: (dir: string) => Promise<void>,
  cacheDir = NPM_TREE_CACHE,
): Promise<{ dir: string; installed: boolean }> {
  const key = createHash('sha256').update(packages.join('\n')).digest('hex').slice(0, 16);
  const dir = join(cacheDir, key);
  const fresh = existsSync(dir) && Date.now() - statSync(dir).mtimeMs < MAX_AGE_MS;
  if (fresh) return { dir, installed: false };
  await mkdir(cacheDir, { recursive: true });
  const staging = await mkdtemp(join(cacheDir, `.${key}-`));
  try {
    await install(staging);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  return { dir, installed: true };
}
