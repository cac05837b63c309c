import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultBuildSettings } from '../../../../src/core/image/build-default.js';
import { makeHost } from '../config/fixture.js';

function settingsOf(toml: string) {
  const host = makeHost();
  host.write(join(host.home, '.coi/config.toml'), toml);
  return defaultBuildSettings(host.load().config);
}

describe('defaultBuildSettings', () => {
  it('carries [container.build] agents and compression to every way of building coi-default', () => {
    expect(
      settingsOf('[container.build]\nagents = ["claude", "codex"]\ncompression = "gzip"\n'),
    ).toEqual({ agents: ['claude', 'codex'], compression: 'gzip' });
  });

  it('leaves agents out when the config selects none (the default set)', () => {
    expect(settingsOf('')).not.toHaveProperty('agents');
  });
});
