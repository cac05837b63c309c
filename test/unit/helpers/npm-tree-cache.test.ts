import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedNpmTree } from '../../helpers/npm-tree-cache.js';

let cache: string;
let installs: number;

beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), 'coi-npm-tree-'));
  installs = 0;
});

afterEach(() => {
  rmSync(cache, { recursive: true, force: true });
});

const install = (dir: string) => {
  installs += 1;
  mkdirSync(join(dir, 'usr/local/bin'), { recursive: true });
  writeFileSync(join(dir, 'usr/local/bin/codex'), `install ${installs}`);
  return Promise.resolve();
};

describe('cachedNpmTree', () => {
  it('installs once and reuses the tree within a day, per package list', async () => {
    const first = await cachedNpmTree(['a', 'b'], install, cache);
    const again = await cachedNpmTree(['a', 'b'], install, cache);
    const other = await cachedNpmTree(['a'], install, cache);
    expect(first.installed).toBe(true);
    expect(again).toEqual({ dir: first.dir, installed: false });
    expect(other.installed).toBe(true);
    expect(other.dir).not.toBe(first.dir);
    expect(installs).toBe(2);
    expect(existsSync(join(first.dir, 'usr/local/bin/codex'))).toBe(true);
  });

  it('installs again once the tree is a day old', async () => {
    const first = await cachedNpmTree(['a'], install, cache);
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    utimesSync(first.dir, dayAgo, dayAgo);
    expect((await cachedNpmTree(['a'], install, cache)).installed).toBe(true);
    expect(installs).toBe(2);
  });

  it('a failed install leaves nothing to reuse', async () => {
    const failing = async (dir: string) => {
      await install(dir);
      throw new Error('npm ERR! network');
    };
    await expect(cachedNpmTree(['a'], failing, cache)).rejects.toThrow(/network/);
    expect(readdirSync(cache)).toEqual([]);
    expect((await cachedNpmTree(['a'], install, cache)).installed).toBe(true);
  });
});
