import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../../src/cli/errors.js';
import { findSecretMasks } from '../../../../src/core/session/secret-masks.js';
import { config } from './config.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coi-secrets-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A workspace with these files (a trailing "/" makes a directory). */
function workspace(paths: string[]): string {
  const ws = tempDir();
  for (const rel of paths) {
    if (rel.endsWith('/')) mkdirSync(join(ws, rel), { recursive: true });
    else {
      mkdirSync(join(ws, rel, '..'), { recursive: true });
      writeFileSync(join(ws, rel), 'secret');
    }
  }
  return ws;
}

const DEFAULTS = config().security.secret_paths;
/** Not this process's ids: the masks are given to whoever shows as the code user. */
const OWNER = { uid: 1234, gid: 5678 };

describe('secret masks', () => {
  it('masks the default secrets at any depth, files by a file and directories by a directory', async () => {
    const ws = workspace([
      '.env',
      'api/.env.production',
      'certs/server.pem',
      'deploy/prod.tfvars',
      'secrets/db/password',
      'README.md',
      'src/env.ts',
    ]);
    const coiDir = tempDir();
    const masks = await findSecretMasks(ws, DEFAULTS, coiDir, OWNER);
    const byPath = Object.fromEntries(masks.map((m) => [m.rel, m.source]));
    expect(Object.keys(byPath).sort()).toEqual([
      '.env',
      'api/.env.production',
      'certs/server.pem',
      'deploy/prod.tfvars',
      'secrets',
    ]);
    expect(byPath['.env']).toBe(join(coiDir, 'masks/1234.5678/empty-file'));
    expect(byPath.secrets).toBe(join(coiDir, 'masks/1234.5678/empty-dir'));
    expect(statSync(join(coiDir, 'masks/1234.5678/empty-file')).size).toBe(0);
    expect(statSync(join(coiDir, 'masks/1234.5678/empty-file')).mode & 0o777).toBe(0o444);
    expect(statSync(join(coiDir, 'masks/1234.5678/empty-dir')).mode & 0o777).toBe(0o555);
    expect(readdirSync(join(coiDir, 'masks/1234.5678/empty-dir'))).toEqual([]);
    const owned = statSync(join(coiDir, 'masks/1234.5678/empty-file'));
    expect([owned.uid, owned.gid]).toEqual([1234, 5678]);
  });

  it('does not search .git or node_modules, and needs no mask source without a match', async () => {
    const ws = workspace(['.git/.env', 'node_modules/pkg/.npmrc', 'src/main.ts']);
    const coiDir = tempDir();
    expect(await findSecretMasks(ws, DEFAULTS, coiDir, OWNER)).toEqual([]);
    expect(() => lstatSync(join(coiDir, 'masks'))).toThrow();
  });

  it('masks the target of a symlink that stays inside the workspace', async () => {
    const ws = workspace(['config/real.env']);
    symlinkSync('config/real.env', join(ws, '.env'));
    const masks = await findSecretMasks(ws, ['.env'], tempDir(), OWNER);
    expect(masks.map((m) => m.rel)).toEqual(['config/real.env']);
  });

  it('refuses a symlink out of the workspace, or a dangling one, as a config error', async () => {
    const outside = workspace(['.env']);
    const ws = workspace([]);
    symlinkSync(join(outside, '.env'), join(ws, '.env'));
    const error = await findSecretMasks(ws, ['.env'], tempDir(), OWNER).catch(
      (err: unknown) => err,
    );
    expect((error as Error).message).toMatch(
      /^secret path \.env \(matched by security\.secret_paths "\.env"\) in .* is a symlink to .*\/\.env, outside the workspace/,
    );
    expect(exitCodeFor(error)).toBe(2);
    const dangling = workspace([]);
    symlinkSync('/nonexistent/key.pem', join(dangling, 'key.pem'));
    await expect(findSecretMasks(dangling, ['*.pem'], tempDir(), OWNER)).rejects.toThrow(
      /is a symlink to nowhere \(dangling\)/,
    );
  });

  it('refuses mask sources that are not empty', async () => {
    const ws = workspace(['.env']);
    const coiDir = tempDir();
    mkdirSync(join(coiDir, 'masks/1234.5678/empty-dir'), { recursive: true });
    writeFileSync(join(coiDir, 'masks/1234.5678/empty-file'), 'leak');
    await expect(findSecretMasks(ws, ['.env'], coiDir, OWNER)).rejects.toThrow(/are not empty/);
  });
});
