import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE } from '../../../../src/core/config/index.js';
import { createMainConfig, starterConfig } from '../../../../src/core/profile/starter-config.js';
import { validateConfigFile } from '../../../../src/core/profile/validate-file.js';
import { makeHost } from '../config/fixture.js';

const defaults = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');

describe('starterConfig', () => {
  it('changes nothing: every setting is commented out', () => {
    expect(parse(starterConfig())).toEqual({});
  });

  it('is the built-in defaults, each setting line commented, the comments kept', () => {
    const starter = starterConfig().split('\n');
    for (const line of defaults.split('\n')) {
      if (line.trim() === '' || line.startsWith('#')) expect(starter).toContain(line);
      else expect(starter).toContain(`# ${line}`);
    }
  });

  it('gives a valid config once a section and its keys are uncommented', () => {
    const host = makeHost();
    const uncommented = starterConfig()
      .replace('# [network]\n', '[network]\n')
      .replace('# mode = "restricted"', 'mode = "allowlist"');
    const file = host.write(join(host.root, 'config.toml'), uncommented);
    expect(validateConfigFile(file, host.workspace, host.home)).toEqual([]);
    expect(parse(uncommented)).toEqual({ network: { mode: 'allowlist' } });
  });
});

describe('createMainConfig', () => {
  it('writes ~/.coi/config.toml, or the workspace’s with project scope', async () => {
    const host = makeHost();
    const ctx = { workspace: host.workspace, home: host.home };
    expect(await createMainConfig(ctx, 'user')).toBe(join(host.home, '.coi', 'config.toml'));
    expect(await createMainConfig(ctx, 'project')).toBe(
      join(host.workspace, '.coi', 'config.toml'),
    );
    expect(readFileSync(join(host.home, '.coi', 'config.toml'), 'utf8')).toBe(starterConfig());
  });

  it('never overwrites a config', async () => {
    const host = makeHost();
    const file = host.write(join(host.home, '.coi', 'config.toml'), '[tool]\nname = "pi"\n');
    await expect(
      createMainConfig({ workspace: host.workspace, home: host.home }, 'user'),
    ).rejects.toThrow('~/.coi/config.toml already exists; coi does not overwrite it');
    expect(readFileSync(file, 'utf8')).toBe('[tool]\nname = "pi"\n');
    expect(existsSync(join(host.workspace, '.coi'))).toBe(false);
  });
});
