import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../../src/cli/errors.js';
import { protectedPathList } from '../../../../src/core/session/protected-paths.js';
import { linkedGitdirMounts } from '../../../../src/core/session/worktree-gitdir.js';
import { config } from './config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
    cwd,
    stdio: 'pipe',
  });

/** A main repository with one commit and a linked worktree of it. */
function repoWithWorktree(): { main: string; worktree: string } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'coi-worktree-')));
  dirs.push(root);
  const main = join(root, 'main');
  mkdirSync(main);
  git(main, 'init', '-q');
  git(main, 'commit', '-q', '--allow-empty', '-m', 'init');
  git(main, 'worktree', 'add', '-q', join(root, 'wt'));
  return { main, worktree: join(root, 'wt') };
}

const PROTECTED = protectedPathList(config());

describe('linked worktree gitdir', () => {
  it("mounts the main repository's git directory where .git names it, guarded read-only", async () => {
    const { main, worktree } = repoWithWorktree();
    const mounts = await linkedGitdirMounts(worktree, PROTECTED, 1000, 1000);
    const common = join(main, '.git');
    expect(mounts).toEqual([
      { source: common, path: common, readonly: false },
      { source: join(common, 'hooks'), path: join(common, 'hooks'), readonly: true },
      { source: join(common, 'config'), path: join(common, 'config'), readonly: true },
      {
        source: join(common, 'info/attributes'),
        path: join(common, 'info/attributes'),
        readonly: true,
      },
      {
        source: join(common, 'worktrees/wt/config.worktree'),
        path: join(common, 'worktrees/wt/config.worktree'),
        readonly: true,
      },
    ]);
    // Missing ones were created, so the agent cannot plant them.
    expect(lstatSync(join(common, 'info/attributes')).isFile()).toBe(true);
    expect(lstatSync(join(common, 'worktrees/wt/config.worktree')).uid).toBe(1000);
  });

  it('leaves hooks writable when they are not protected', async () => {
    const { worktree } = repoWithWorktree();
    const list = protectedPathList(config({ git: { writable_hooks: true } }));
    const mounts = await linkedGitdirMounts(worktree, list, 1000, 1000);
    expect(mounts.map((m) => m.path).some((p) => p.endsWith('/hooks'))).toBe(false);
  });

  it('refuses a .git that names a directory not pointing back at the workspace', async () => {
    const { main } = repoWithWorktree();
    const ws = mkdtempSync(join(tmpdir(), 'coi-worktree-ws-'));
    dirs.push(ws);
    writeFileSync(join(ws, '.git'), `gitdir: ${join(main, '.git/worktrees/wt')}\n`);
    const error = await linkedGitdirMounts(ws, PROTECTED, 1000, 1000).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/but it does not point back at .*\/\.git; fix/);
    expect(exitCodeFor(error)).toBe(2);
  });

  it('mounts nothing for a plain repository, a submodule-style or a dangling .git file', async () => {
    const { main } = repoWithWorktree();
    expect(await linkedGitdirMounts(main, PROTECTED, 1000, 1000)).toEqual([]);
    const ws = mkdtempSync(join(tmpdir(), 'coi-worktree-ws-'));
    dirs.push(ws);
    writeFileSync(join(ws, '.git'), `gitdir: ${join(main, '.git')}\n`);
    expect(await linkedGitdirMounts(ws, PROTECTED, 1000, 1000)).toEqual([]);
    writeFileSync(join(ws, '.git'), 'gitdir: /nonexistent/.git/worktrees/x\n');
    expect(await linkedGitdirMounts(ws, PROTECTED, 1000, 1000)).toEqual([]);
  });
});
