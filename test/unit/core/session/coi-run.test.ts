import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coiRunScript } from '../../../../src/core/session/coi-run.js';

const workspace = () => mkdtempSync(join(tmpdir(), 'coi-run-script-'));

describe('./coi-run', () => {
  it('is run by its path inside the container', async () => {
    const ws = workspace();
    writeFileSync(join(ws, 'coi-run'), '#!/bin/sh\n', { mode: 0o755 });
    await expect(coiRunScript(ws)).resolves.toBe('/workspace/coi-run');
  });

  it('may be a symlink into the workspace (absolute too): the container runs the target', async () => {
    const ws = workspace();
    mkdirSync(join(ws, 'scripts'));
    writeFileSync(join(ws, 'scripts', 'ci.sh'), '#!/bin/sh\n', { mode: 0o755 });
    symlinkSync(join(ws, 'scripts', 'ci.sh'), join(ws, 'coi-run'));
    await expect(coiRunScript(ws)).resolves.toBe('/workspace/scripts/ci.sh');
  });

  it('refuses a dangling symlink and one to the workspace itself', async () => {
    const dangling = workspace();
    symlinkSync(join(dangling, 'gone'), join(dangling, 'coi-run'));
    await expect(coiRunScript(dangling)).rejects.toThrow(/symlink to nothing/);
    const self = workspace();
    symlinkSync('.', join(self, 'coi-run'));
    await expect(coiRunScript(self)).rejects.toThrow(/outside the workspace/);
  });
});

describe('./coi-run refused', () => {
  it('when missing, not executable, a directory, or outside the workspace (usage errors)', async () => {
    const missing = workspace();
    await expect(coiRunScript(missing)).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining(
        'no command given, and ./coi-run does not exist in',
      ) as unknown,
    });
    const plain = workspace();
    writeFileSync(join(plain, 'coi-run'), '#!/bin/sh\n', { mode: 0o644 });
    await expect(coiRunScript(plain)).rejects.toThrow('is not executable: chmod +x coi-run');
    const dir = workspace();
    mkdirSync(join(dir, 'coi-run'));
    await expect(coiRunScript(dir)).rejects.toThrow('./coi-run is not a file');
    const outside = workspace();
    const elsewhere = workspace();
    writeFileSync(join(elsewhere, 'script'), '#!/bin/sh\n', { mode: 0o755 });
    symlinkSync(join(elsewhere, 'script'), join(outside, 'coi-run'));
    await expect(coiRunScript(outside)).rejects.toThrow(/outside the workspace/);
  });
});
