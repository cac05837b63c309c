import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE, effectiveEntries } from '../../../../src/core/config/index.js';
import { makeHost } from './fixture.js';

describe('provenance', () => {
  it('records for every effective key the layer and file that set it', () => {
    const host = makeHost();
    const etc = host.write(join(host.etc, 'config.toml'), '[network]\nmode = "allowlist"\n');
    const user = host.write(
      join(host.home, '.coi/config.toml'),
      '[defaults.environment]\nEDITOR = "vim"\n[tool]\nname = "pi"\n',
    );
    const workspace = host.write(
      join(host.workspace, '.coi/config.toml'),
      '[monitoring]\nenabled = true\n',
    );
    const env = host.write('ci/coi.toml', '[limits.memory]\nlimit = "2GiB"\n');
    host.write(join(host.home, '.coi/profiles/fast/config.toml'), '[limits.cpu]\ncount = "4"\n');
    const { config, origins } = host.load({
      env: { COI_CONFIG: env },
      profile: 'fast',
      overrides: { ssh: { forward_agent: true } },
    });

    expect(origins['container.image']).toEqual({
      layer: 'default',
      source: 'built-in defaults',
      file: DEFAULT_CONFIG_FILE,
    });
    expect(origins['network.mode']).toEqual({ layer: 'system', source: etc, file: etc });
    expect(origins['tool.name']).toEqual({
      layer: 'user',
      source: '~/.coi/config.toml',
      file: user,
    });
    expect(origins['defaults.environment.EDITOR']?.file).toBe(user);
    expect(origins['monitoring.enabled']).toEqual({
      layer: 'workspace',
      source: workspace,
      file: workspace,
    });
    expect(origins['limits.memory.limit']).toMatchObject({ layer: 'env', file: env });
    expect(origins['limits.cpu.count']).toEqual({
      layer: 'profile',
      source: '~/.coi/profiles/fast/config.toml',
      file: join(host.home, '.coi/profiles/fast/config.toml'),
      profile: 'fast',
    });
    expect(origins['ssh.forward_agent']).toEqual({ layer: 'cli', source: 'command line' });

    const entries = effectiveEntries(config, origins);
    const byKey = new Map(entries.map((e) => [e.key, e]));
    expect(byKey.get('limits.cpu.count')).toMatchObject({
      value: '4',
      origin: { profile: 'fast' },
    });
    expect(byKey.get('defaults.environment.EDITOR')?.value).toBe('vim');
    expect(byKey.get('network.allowed_domains')?.origin?.layer).toBe('default');
    expect(entries.every((e) => e.origin !== undefined)).toBe(true);
  });
});
