import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE } from '../../../../src/core/config/index.js';
import { configSchema, knownKeyPaths } from '../../../../src/core/config/schema.js';
import { makeHost } from './fixture.js';

describe('built-in defaults (assets/config.default.toml)', () => {
  const text = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');

  it('is found relative to the module and is complete, valid config', () => {
    expect(DEFAULT_CONFIG_FILE).toMatch(/\/assets\/config\.default\.toml$/);
    const result = configSchema.safeParse(parse(text));
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('mentions every key coi understands', () => {
    const keyed = (path: string) => {
      const leaf = path.split('.').at(-1)!;
      return new RegExp(`^#?\\s*(\\[\\[?${path.replace(/\./g, '\\.')}[\\].]|${leaf}\\s*=)`, 'm');
    };
    const missing = knownKeyPaths(configSchema).filter((path) => !keyed(path).test(text));
    expect(missing).toEqual([]);
  });

  it('loads on an empty host with the documented values', () => {
    const host = makeHost();
    const { config, warnings } = host.load();
    expect(warnings).toEqual([]);
    expect(config.network.mode).toBe('restricted');
    expect(config.container.image).toBe('coi-default');
    expect(config.container.persistent).toBe(false);
    expect(config.monitoring.forensics_on_kill).toBe(true);
    expect(config.security.protected_paths).toEqual([
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
    ]);
    expect(config.paths.sessions_dir).toBe(`${host.home}/.coi/sessions`);
    expect(config.tool).toEqual({
      name: 'claude',
      permission_mode: 'bypass',
      auto_context: true,
      pre_launch: [],
      claude: { credentials: 'copy' },
      codex: {},
    });
    expect(config.prompts).toEqual({});
    expect(config.shell).toEqual({ use_tmux: true });
    expect(config.container.alias).toBeUndefined();
    expect(config.container.session_name).toBeUndefined();
    expect(config.defaults.profile).toBeUndefined();
  });
});
