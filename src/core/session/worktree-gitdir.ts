import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { CoiError } from '../../shared/errors.js';
import { materialiseProtectedPaths } from './protected-paths.js';

/** A host directory or file mounted at `path` inside the container. */
export interface GitdirMount {
  source: string;
  path: string;
  readonly: boolean;
}

/**
 * A linked git worktree's `.git` is a file naming its gitdir inside the main repository, outside
 * the workspace. That repository's git directory is mounted where the file says (so git works
 * inside), with the `.git/…` protected paths read-only over it: its hooks and config would
 * otherwise run on the host the next time the user works in the main repository. The gitdir must
 * point back at this workspace (`<gitdir>/gitdir`); anything else is refused, since `.git` comes
 * with the code and could name any host directory.
 */
export async function linkedGitdirMounts(
  workspace: string,
  protectedPaths: readonly string[],
  uid: number,
  gid: number,
): Promise<GitdirMount[]> {
  const dotGit = join(workspace, '.git');
  const link = await lstat(dotGit).catch(() => undefined);
  if (!link?.isFile()) return [];
  const named = /^gitdir:\s*(.+?)\s*$/m.exec(await readFile(dotGit, 'utf8'))?.[1];
  if (!named) return [];
  const refuse = (why: string) =>
    new CoiError(
      `${dotGit} names the git directory ${named}, but ${why}; fix the worktree with \`git worktree repair\` in its main repository, or remove ${dotGit}`,
      'config',
    );
  // Dangling, or a submodule's gitdir (no commondir): nothing outside is reachable, as before.
  const gitdir = await realpath(resolve(workspace, named)).catch(() => undefined);
  const commonRel = gitdir && (await readText(join(gitdir, 'commondir')));
  if (!gitdir || !commonRel) return [];
  const back = await readText(join(gitdir, 'gitdir'));
  const backReal = back && (await realpath(resolve(gitdir, back)).catch(() => ''));
  if (backReal !== join(await realpath(workspace), '.git'))
    throw refuse(`it does not point back at ${dotGit}`);
  const common = await realpath(resolve(gitdir, commonRel)).catch(() => '');
  const objects = common ? await stat(join(common, 'objects')).catch(() => undefined) : undefined;
  if (!objects?.isDirectory() || !gitdir.startsWith(`${join(common, 'worktrees')}/`))
    throw refuse('it is not a worktree of a git repository');

  const inside = posix.resolve(
    isAbsolute(named) ? named : posix.resolve('/workspace', named),
    commonRel,
  );
  if (inside === '/workspace' || inside.startsWith('/workspace/'))
    throw refuse('its repository would be mounted inside /workspace');
  const git = protectedPaths.filter((p) => p.startsWith('.git/')).map((p) => p.slice(5));
  const perWorktree = git.filter((p) => p === 'config.worktree');
  const shared = git.filter((p) => p !== 'config.worktree');
  const worktreeInside = posix.join(inside, posix.relative(common, gitdir));
  const guarded = [
    ...(await materialiseProtectedPaths(common, shared, uid, gid)).map((p) => ({
      source: join(common, p),
      path: posix.join(inside, p),
    })),
    ...(await materialiseProtectedPaths(gitdir, perWorktree, uid, gid)).map((p) => ({
      source: join(gitdir, p),
      path: posix.join(worktreeInside, p),
    })),
  ];
  return [
    { source: common, path: inside, readonly: false },
    ...guarded.map((m) => ({ ...m, readonly: true })),
  ];
}

/** A small git file's content, trimmed; '' when it is missing. */
async function readText(path: string): Promise<string> {
  return (await readFile(path, 'utf8').catch(() => '')).trim();
}
