import { chmod, chown, lstat, mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { CoiError } from '../../shared/errors.js';
import { compileGlob } from '../../shared/workspace-glob.js';

/** A workspace path hidden inside the container by an empty read-only file or directory. */
export interface SecretMask {
  /** Relative to the workspace, with `/`. */
  rel: string;
  /** The empty host file or directory mounted over it. */
  source: string;
}

/** Host ids the masks are owned by: those that show as the code user inside. */
export interface MaskOwner {
  uid: number;
  gid: number;
}

const MASK_NAMES = { file: 'empty-file', dir: 'empty-dir' } as const;

/** Not descended into: git's own objects, and dependency trees that hold no project secrets. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/**
 * The masks for `[security] secret_paths` in a workspace. A match that is a symlink is masked at
 * its target when that stays inside the workspace, and refused otherwise: whatever it points at
 * is not ours to hide, and hiding only the link would leave the target readable elsewhere.
 */
export async function findSecretMasks(
  workspace: string,
  globs: readonly string[],
  coiDir: string,
  owner: MaskOwner,
): Promise<SecretMask[]> {
  if (globs.length === 0) return [];
  const matchers = globs.map((glob) => ({ glob, test: compileGlob(glob) }));
  const root = await realpath(workspace);
  const found = new Map<string, 'file' | 'dir'>();
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      const rel = relative(root, abs).split(sep).join('/');
      const glob = matchers.find((m) => m.test(rel))?.glob;
      if (glob !== undefined) {
        const target = entry.isSymbolicLink() ? await linkTarget(root, rel, glob) : rel;
        found.set(target, (await stat(join(root, target))).isDirectory() ? 'dir' : 'file');
      } else if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) await visit(abs);
    }
  };
  await visit(root);
  if (found.size === 0) return [];
  const sources = await maskSources(coiDir, owner);
  return [...found].map(([rel, kind]) => ({ rel, source: sources[kind] }));
}

/** The same kind of mask (file or directory) as `source`, owned by `owner`. */
export async function maskFor(source: string, coiDir: string, owner: MaskOwner): Promise<string> {
  const sources = await maskSources(coiDir, owner);
  return basename(source) === MASK_NAMES.dir ? sources.dir : sources.file;
}

/** A symlinked secret's target relative to the workspace, or the refusal of the launch. */
async function linkTarget(root: string, rel: string, glob: string): Promise<string> {
  const target = await realpath(join(root, rel)).catch(() => undefined);
  const inside = target === undefined ? undefined : relative(root, target);
  if (inside === undefined || inside === '' || inside.startsWith('..') || inside.startsWith(sep)) {
    const where = target === undefined ? 'nowhere (dangling)' : target;
    throw new CoiError(
      `secret path ${rel} (matched by security.secret_paths "${glob}") in ${root} is a symlink to ${where}, outside the workspace, so it cannot be masked; replace the link with the file itself or remove it`,
      'config',
    );
  }
  return inside.split(sep).join('/');
}

/**
 * The empty file and directory mounted over secrets, read-only on the host and owned by whoever
 * shows as the code user inside (one pair per owner), so a mask looks like the file it hides.
 * They are checked to be empty every time: a mask with content would show that content instead.
 */
async function maskSources(
  coiDir: string,
  owner: MaskOwner,
): Promise<{ file: string; dir: string }> {
  const dir = join(coiDir, 'masks', `${owner.uid}.${owner.gid}`);
  const file = join(dir, MASK_NAMES.file);
  const empty = join(dir, MASK_NAMES.dir);
  await mkdir(empty, { recursive: true });
  await writeFile(file, '', { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  const [fileStat, dirStat, entries] = await Promise.all([
    lstat(file),
    lstat(empty),
    readdir(empty),
  ]);
  if (!fileStat.isFile() || fileStat.size !== 0 || !dirStat.isDirectory() || entries.length > 0) {
    throw new CoiError(
      `the secret masks in ${dir} are not empty; delete ${dir} so coi recreates it`,
      'failure',
    );
  }
  // Only root can give files away; anyone else's masks are their own already.
  if (process.geteuid?.() === 0) {
    await Promise.all([file, empty].map((p) => chown(p, owner.uid, owner.gid)));
  }
  await Promise.all([chmod(file, 0o444), chmod(empty, 0o555)]);
  return { file, dir: empty };
}
