import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  materialiseProtectedPaths,
  ProtectedPathError,
  protectedPathList,
  writableCarveOuts,
} from '../../../../src/core/session/protected-paths.js';
import { config } from './config.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coi-protect-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('protected path list', () => {
  it('joins the defaults and additional paths, minus hooks when they are writable', () => {
    expect(
      protectedPathList(config({ security: { additional_protected_paths: ['.envrc'] } })),
    ).toEqual([
      '.git/hooks',
      '.git/config',
      '.git/config.worktree',
      '.git/info/attributes',
      '.husky',
      '.vscode',
      '.coi',
      '.claude/settings.json',
      '.claude/settings.local.json',
      '.codex/config.toml',
      '.envrc',
    ]);
    expect(protectedPathList(config({ git: { writable_hooks: true } }))).not.toContain(
      '.git/hooks',
    );
    expect(protectedPathList(config({ security: { disable_protection: true } }))).toEqual([]);
  });

  it('carves writable_paths out, with everything below them', () => {
    const list = protectedPathList(
      config({ security: { writable_paths: ['./.vscode/', '.claude'] } }),
    );
    expect(list).not.toContain('.vscode');
    expect(list).not.toContain('.claude/settings.json');
    expect(list).not.toContain('.claude/settings.local.json');
    expect(list).toContain('.codex/config.toml');
    expect(list).toContain('.coi');
  });

  it('mounts a carve-out below a protected directory writable, and only such ones', () => {
    const cfg = config({
      security: {
        writable_paths: ['.vscode/settings.json', './.vscode/settings.json', '.husky', 'src'],
      },
    });
    expect(writableCarveOuts(cfg)).toEqual(['.vscode/settings.json']);
    expect(protectedPathList(cfg)).toContain('.vscode');
  });

  it('leaves only the agent settings writable with writable_agent_config', () => {
    const list = protectedPathList(config({ security: { writable_agent_config: true } }));
    expect(list).toEqual([
      '.git/hooks',
      '.git/config',
      '.git/config.worktree',
      '.git/info/attributes',
      '.husky',
      '.vscode',
      '.coi',
    ]);
  });
});

describe('materialising protected paths', () => {
  it('creates missing directories and files owned by the workspace owner', async () => {
    const ws = tempDir();
    const usable = await materialiseProtectedPaths(
      ws,
      ['.git/hooks', '.git/config', '.vscode'],
      1234,
      1234,
    );
    expect(usable).toEqual(['.git/hooks', '.git/config', '.vscode']);
    expect(lstatSync(join(ws, '.git/hooks')).isDirectory()).toBe(true);
    expect(lstatSync(join(ws, '.git/config')).isFile()).toBe(true);
    for (const p of ['.git', '.git/hooks', '.git/config', '.vscode'])
      expect(lstatSync(join(ws, p)).uid, p).toBe(1234);
  });

  it('creates the protected files of the default list as files, the rest as directories', async () => {
    const ws = tempDir();
    const paths = protectedPathList(config());
    expect(await materialiseProtectedPaths(ws, paths, 1000, 1000)).toEqual(paths);
    const files = paths.filter((p) => lstatSync(join(ws, p)).isFile());
    expect(files).toEqual([
      '.git/config',
      '.git/config.worktree',
      '.git/info/attributes',
      '.claude/settings.json',
      '.claude/settings.local.json',
      '.codex/config.toml',
    ]);
  });

  it('keeps what exists and leaves out paths whose parent is a file (git worktrees)', async () => {
    const ws = tempDir();
    writeFileSync(join(ws, '.git'), 'gitdir: /elsewhere\n');
    mkdirSync(join(ws, '.husky'));
    const usable = await materialiseProtectedPaths(ws, ['.git/hooks', '.husky'], 1000, 1000);
    expect(usable).toEqual(['.husky']);
  });

  it('refuses a symlink anywhere on a protected path', async () => {
    const ws = tempDir();
    symlinkSync('/etc', join(ws, '.git'));
    await expect(materialiseProtectedPaths(ws, ['.git/hooks'], 1000, 1000)).rejects.toThrow(
      ProtectedPathError,
    );
  });
});
