import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveEntries } from '../../../../src/core/config/index.js';
import { makeHost, type Host } from './fixture.js';

/** Each trusted layer sets tool.binary to its own name, so the winner is visible. */
function writeAllLayers(host: Host) {
  const layer = (name: string) => `[tool]\nbinary = "${name}"\n`;
  host.write(join(host.etc, 'config.toml'), layer('etc'));
  host.write(join(host.home, '.config/coi/config.toml'), layer('xdg'));
  host.write(join(host.home, '.coi/config.toml'), layer('user'));
  host.write(join(host.workspace, '.coi/config.toml'), layer('workspace'));
  const envFile = host.write('env/coi.toml', layer('env'));
  host.write(join(host.home, '.coi/profiles/p/config.toml'), layer('profile'));
  return { COI_CONFIG: envFile };
}

describe('layering', () => {
  it('applies defaults < /etc < ~/.config < ~/.coi < workspace < $COI_CONFIG < profile < flags', () => {
    const host = makeHost();
    const env = writeAllLayers(host);
    const binary = (options: Parameters<Host['load']>[0]) => host.load(options).config.tool.binary;
    expect(binary({ env, profile: 'p', overrides: { tool: { binary: 'cli' } } })).toBe('cli');
    expect(binary({ env, profile: 'p' })).toBe('profile');
    expect(binary({ env })).toBe('env');
    expect(binary({})).toBe('workspace');
  });

  it('falls through layer by layer as files are absent', () => {
    const host = makeHost();
    host.write(join(host.etc, 'config.toml'), '[tool]\nbinary = "etc"\n');
    expect(host.load().config.tool.binary).toBe('etc');
    host.write(join(host.home, '.config/coi/config.toml'), '[tool]\nbinary = "xdg"\n');
    expect(host.load().config.tool.binary).toBe('xdg');
    host.write(join(host.home, '.coi/config.toml'), '[tool]\nbinary = "user"\n');
    expect(host.load().config.tool.binary).toBe('user');
  });

  it('changes only the keys a layer sets, table by table', () => {
    const host = makeHost();
    host.write(join(host.home, '.coi/config.toml'), '[monitoring.nft]\nenabled = true\n');
    const { config } = host.load();
    expect(config.monitoring.nft).toEqual({
      enabled: true,
      rate_limit_per_second: 100,
      dns_query_threshold: 100,
      log_dns_queries: true,
    });
    expect(config.monitoring.enabled).toBe(false);
  });

  it('replaces lists, accumulates additional_protected_paths, merges environment tables', () => {
    const host = makeHost();
    host.write(
      join(host.etc, 'config.toml'),
      [
        '[defaults]',
        'forward_env = ["A", "B"]',
        '[defaults.environment]',
        'KEEP = "1"',
        'DROP = "2"',
        'CHANGE = "old"',
        '[security]',
        'additional_protected_paths = ["secrets"]',
      ].join('\n'),
    );
    host.write(
      join(host.home, '.coi/config.toml'),
      [
        '[defaults]',
        'forward_env = ["C"]',
        '[defaults.environment]',
        'DROP = ""',
        'CHANGE = "new"',
        'ADD = "3"',
        '[security]',
        'additional_protected_paths = ["keys", "secrets"]',
      ].join('\n'),
    );
    const { config } = host.load();
    expect(config.defaults.forward_env).toEqual(['C']);
    expect(config.defaults.environment).toEqual({ KEEP: '1', CHANGE: 'new', ADD: '3' });
    expect(config.security.additional_protected_paths).toEqual(['secrets', 'keys']);
  });

  it('accumulates secret_paths over the defaults, the workspace file included', () => {
    const host = makeHost();
    host.write(join(host.home, '.coi/config.toml'), '[security]\nsecret_paths = ["*.age"]\n');
    host.write(
      join(host.workspace, '.coi/config.toml'),
      '[security]\nsecret_paths = ["vault/**", ".env"]\n',
    );
    const { config, warnings } = host.load();
    expect(warnings).toEqual([]);
    const paths = config.security.secret_paths;
    expect(paths.slice(0, 3)).toEqual(['.env', '.env.*', '*.pem']);
    expect(paths.slice(-2)).toEqual(['*.age', 'vault/**']);
    expect(paths.filter((p) => p === '.env')).toHaveLength(1);
  });

  it('lists the secret and carve-out keys in `coi config show`, with the file that set them', () => {
    const host = makeHost();
    const file = join(host.home, '.coi/config.toml');
    host.write(file, '[security]\nwritable_paths = [".husky"]\nwritable_agent_config = true\n');
    const { config, origins } = host.load();
    const shown = new Map(effectiveEntries(config, origins).map((e) => [e.key, e]));
    expect(shown.get('security.writable_paths')).toMatchObject({
      value: ['.husky'],
      origin: { file },
    });
    expect(shown.get('security.writable_agent_config')).toMatchObject({ value: true });
    expect(shown.get('security.secret_paths')?.value).toContain('secrets/**');
  });

  it('reads [defaults] image/persistent as [container] image/persistent', () => {
    const host = makeHost();
    host.write(
      join(host.home, '.coi/config.toml'),
      '[defaults]\nimage = "mine"\npersistent = true\n',
    );
    const { config, origins } = host.load();
    expect(config.container.image).toBe('mine');
    expect(config.container.persistent).toBe(true);
    expect(config.defaults).not.toHaveProperty('image');
    expect(origins['container.image']?.source).toBe('~/.coi/config.toml');
  });

  it('makes host paths absolute: ~ from home, mounts from the workspace, scripts from the file', () => {
    const host = makeHost();
    host.write(
      join(host.home, '.coi/config.toml'),
      [
        '[paths]',
        'logs_dir = "~/logs"',
        '[container.build]',
        'script = "build.sh"',
        '[[mounts.default]]',
        'host = "~/data"',
        'container = "/data"',
        '[[mounts.default]]',
        'host = "sub"',
        'container = "/sub"',
        'readonly = true',
      ].join('\n'),
    );
    const { config } = host.load();
    expect(config.paths.logs_dir).toBe(join(host.home, 'logs'));
    expect(config.container.build.script).toBe(join(host.home, '.coi', 'build.sh'));
    expect(config.mounts.default).toEqual([
      { host: join(host.home, 'data'), container: '/data', readonly: false },
      { host: join(host.workspace, 'sub'), container: '/sub', readonly: true },
    ]);
  });

  it('takes a relative $COI_CONFIG from the workspace and requires it to exist', () => {
    const host = makeHost();
    host.write(join(host.workspace, 'ci.toml'), '[network]\nmode = "allowlist"\n');
    expect(host.load({ env: { COI_CONFIG: 'ci.toml' } }).config.network.mode).toBe('allowlist');
    const message = host.loadError({ env: { COI_CONFIG: 'missing.toml' } });
    expect(message).toBe(
      `${host.workspace}/missing.toml: expected a readable TOML file; got no such file`,
    );
  });

  it('ignores override fields left undefined (flags not given)', () => {
    const host = makeHost();
    host.write(join(host.home, '.coi/config.toml'), '[network]\nmode = "allowlist"\n');
    const overrides = { network: { mode: undefined }, container: { persistent: true } };
    const { config } = host.load({ overrides });
    expect(config.network.mode).toBe('allowlist');
    expect(config.container.persistent).toBe(true);
  });

  it('validates command-line overrides like any other layer', () => {
    const host = makeHost();
    const overrides = { network: { mode: 'wide' } } as never;
    expect(host.loadError({ overrides })).toBe(
      'command line: network.mode: expected one of restricted, allowlist, open; got "wide"',
    );
  });
});
