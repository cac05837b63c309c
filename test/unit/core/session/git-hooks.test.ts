import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTRIBUTION_PATTERNS_FILE,
  PROTECTED_BRANCHES_FILE,
  gitHookScripts,
} from '../../../../src/core/session/git-hooks.js';
import { config } from './config.js';

/** The generated hooks, run by the host's git against temp repositories. */

const root = mkdtempSync(join(tmpdir(), 'coi-git-hooks-'));
const hooks = join(root, 'hooks');
const globalConfig = join(root, 'gitconfig');
const env = {
  PATH: process.env.PATH ?? '',
  HOME: root,
  GIT_CONFIG_GLOBAL: globalConfig,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

function git(cwd: string, ...args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, out };
  } catch (err) {
    const e = err as { status: number; stderr: string };
    return { code: e.status, out: e.stderr };
  }
}

let n = 0;
/** A repository with one commit on main (made before the hooks apply). */
function repo(): string {
  const dir = join(root, `repo-${++n}`);
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--allow-empty', '-m', 'base');
  return dir;
}

function hook(dir: string, name: string, body: string): void {
  writeFileSync(join(dir, '.git', 'hooks', name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

beforeAll(() => {
  mkdirSync(hooks);
  for (const h of gitHookScripts()) writeFileSync(join(hooks, h.name), h.content, { mode: 0o755 });
  writeFileSync(join(hooks, PROTECTED_BRANCHES_FILE), 'main\nmaster\n');
  const patterns = config().git.strip_attribution_patterns;
  writeFileSync(join(hooks, ATTRIBUTION_PATTERNS_FILE), patterns.map((p) => `${p}\n`).join(''));
  writeFileSync(globalConfig, `[core]\n\thooksPath = ${hooks}\n[init]\n\tdefaultBranch = main\n`);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('protected branch hooks', () => {
  it('refuse a commit on main and allow one on a branch', () => {
    const dir = repo();
    const refused = git(dir, 'commit', '--allow-empty', '-m', 'on main');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("coi: commit refused: 'main' is a protected branch");
    git(dir, 'switch', '-q', '-c', 'feature');
    expect(git(dir, 'commit', '-q', '--allow-empty', '-m', 'on a branch').code).toBe(0);
  });

  it('refuse the first commit of a new repository on main', () => {
    const dir = join(root, 'fresh');
    mkdirSync(dir);
    git(dir, 'init', '-q', '-b', 'main');
    expect(git(dir, 'commit', '--allow-empty', '-m', 'first').code).toBe(1);
  });

  it('refuse moving main however it is moved, --no-verify included', () => {
    const dir = repo();
    const before = git(dir, 'rev-parse', 'main').out;
    const noVerify = git(dir, 'commit', '--no-verify', '--allow-empty', '-m', 'sneak');
    expect(noVerify.code).not.toBe(0);
    expect(noVerify.out).toContain("moving a branch refused: 'main'");
    git(dir, 'switch', '-q', '-c', 'feature');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'feature work');
    expect(git(dir, 'branch', '-f', 'main', 'feature').code).not.toBe(0);
    expect(git(dir, 'update-ref', 'refs/heads/main', 'feature').code).not.toBe(0);
    expect(git(dir, 'branch', '-D', 'main').code).not.toBe(0);
    expect(git(dir, 'rev-parse', 'main').out).toBe(before);
    // Other branches move freely.
    expect(git(dir, 'branch', '-q', 'other', 'main').code).toBe(0);
    expect(git(dir, 'branch', '-f', 'other', 'feature').code).toBe(0);
  });

  it('refuse a push to main and allow one to a branch; a clone still creates main', () => {
    const remote = join(root, 'remote.git');
    git(root, 'init', '-q', '--bare', '-b', 'main', remote);
    const dir = repo();
    git(dir, 'remote', 'add', 'origin', remote);
    const push = git(dir, 'push', '-q', 'origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.out).toContain("coi: push refused: 'main'");
    expect(git(dir, 'push', '-q', 'origin', 'main:refs/heads/topic').code).toBe(0);
    expect(git(root, 'clone', '-q', '-b', 'topic', remote, 'clone').code).toBe(0);
    expect(git(join(root, 'clone'), 'switch', '-q', '-c', 'main').code).toBe(0);
  });

  it('still run the repository hook of the same name, whose refusal stands', () => {
    const dir = repo();
    git(dir, 'switch', '-q', '-c', 'feature');
    hook(dir, 'pre-commit', 'echo repo-hook-ran >&2; exit 1');
    const r = git(dir, 'commit', '--allow-empty', '-m', 'x');
    expect(r.code).toBe(1);
    expect(r.out).toContain('repo-hook-ran');
    hook(dir, 'pre-push', 'cat > "$(git rev-parse --git-dir)/pushed"');
    git(dir, 'remote', 'add', 'origin', join(root, 'remote.git'));
    git(dir, 'push', '-q', '--no-verify', 'origin', 'HEAD:refs/heads/unused');
    hook(dir, 'pre-commit', 'exit 0');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'y');
    expect(git(dir, 'push', '-q', 'origin', 'feature').code).toBe(0);
    expect(readFileSync(join(dir, '.git', 'pushed'), 'utf8')).toMatch(
      /^refs\/heads\/feature \w+ refs\/heads\/feature \w+\n$/,
    );
  });
});

describe('attribution stripping', () => {
  const message = [
    'Add the widget',
    '',
    'Body text.',
    '',
    '🤖 Generated with [Claude Code](https://claude.com/claude-code)',
    '',
    'Co-Authored-By: Claude <noreply@anthropic.com>',
    'Co-authored-by: Jane Doe <jane@corp.example>',
    'Assisted-by: Copilot',
  ].join('\n');

  it('removes AI trailers and footers, keeps a human co-author, then runs the repo hook', () => {
    const dir = repo();
    git(dir, 'switch', '-q', '-c', 'feature');
    hook(dir, 'commit-msg', 'echo "Signed-off-by: Repo Hook" >> "$1"');
    expect(git(dir, 'commit', '-q', '--allow-empty', '-m', message).code).toBe(0);
    expect(git(dir, 'log', '-1', '--format=%B').out.trim()).toBe(
      [
        'Add the widget',
        '',
        'Body text.',
        '',
        'Co-authored-by: Jane Doe <jane@corp.example>',
        'Signed-off-by: Repo Hook',
      ].join('\n'),
    );
  });

  it('leaves the message alone without patterns', () => {
    const dir = repo();
    git(dir, 'switch', '-q', '-c', 'feature');
    const saved = readFileSync(join(hooks, ATTRIBUTION_PATTERNS_FILE));
    writeFileSync(join(hooks, ATTRIBUTION_PATTERNS_FILE), '');
    try {
      git(dir, 'commit', '-q', '--allow-empty', '-m', message);
    } finally {
      writeFileSync(join(hooks, ATTRIBUTION_PATTERNS_FILE), saved);
    }
    expect(git(dir, 'log', '-1', '--format=%B').out).toContain('Co-Authored-By: Claude');
  });
});
