import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, listProfiles } from '../../../../src/core/config/index.js';
import { makeHost, type Host } from './fixture.js';

const userProfile = (host: Host, name: string, text: string) =>
  host.write(join(host.home, '.coi/profiles', name, 'config.toml'), text);
const workspaceProfile = (host: Host, name: string, text: string) =>
  host.write(join(host.workspace, '.coi/profiles', name, 'config.toml'), text);

describe('profiles', () => {
  it('applies the parent first, then the child: tables field by field, lists replaced, env merged', () => {
    const host = makeHost();
    userProfile(
      host,
      'base',
      [
        '[container]',
        'image = "base-image"',
        'persistent = true',
        '[defaults]',
        'forward_env = ["A", "B"]',
        '[defaults.environment]',
        'FROM_BASE = "1"',
        'CLEARED = "x"',
        'SHARED = "base"',
        '[limits.memory]',
        'limit = "4GiB"',
        'enforce = "hard"',
      ].join('\n'),
    );
    userProfile(
      host,
      'child',
      [
        'inherits = "base"',
        '[container]',
        'image = "child-image"',
        '[defaults]',
        'forward_env = ["C"]',
        '[defaults.environment]',
        'CLEARED = ""',
        'SHARED = "child"',
        '[limits.memory]',
        'limit = "8GiB"',
      ].join('\n'),
    );
    const { config, profile, origins } = host.load({ profile: 'child' });
    expect(config.container.image).toBe('child-image');
    expect(config.container.persistent).toBe(true);
    expect(config.defaults.forward_env).toEqual(['C']);
    expect(config.defaults.environment).toEqual({ FROM_BASE: '1', SHARED: 'child' });
    expect(config.limits.memory).toEqual({ limit: '8GiB', enforce: 'hard', swap: true });
    expect(profile?.chain.map((p) => p.name)).toEqual(['base', 'child']);
    expect(origins['container.persistent']).toMatchObject({ layer: 'profile', profile: 'base' });
    expect(origins['defaults.environment.CLEARED']).toBeUndefined();
  });

  it('lets a workspace profile inherit from a user profile and sanitises only the workspace one', () => {
    const host = makeHost();
    userProfile(host, 'open', '[network]\nmode = "open"\n');
    const file = workspaceProfile(
      host,
      'project',
      'inherits = "open"\n[network]\nallow_local_network_access = true\n',
    );
    const { config, warnings, profile } = host.load({ profile: 'project' });
    expect(config.network.mode).toBe('open');
    expect(config.network.allow_local_network_access).toBe(false);
    expect(warnings.map((w) => `${w.file} ${w.key}`)).toEqual([
      `${file} network.allow_local_network_access`,
    ]);
    expect(profile?.chain.map((p) => p.scope)).toEqual(['user', 'workspace']);
  });

  it('follows 10 levels and refuses an 11th, naming the chain', () => {
    const host = makeHost();
    for (let i = 1; i <= 11; i++) {
      userProfile(host, `p${i}`, i < 11 ? `inherits = "p${i + 1}"\n` : '');
    }
    userProfile(host, 'p10', '[tool]\nname = "pi"\n');
    expect(host.load({ profile: 'p1' }).config.tool.name).toBe('pi');
    expect(host.load({ profile: 'p1' }).profile?.chain).toHaveLength(10);

    userProfile(host, 'p10', 'inherits = "p11"\n');
    expect(host.loadError({ profile: 'p1' })).toBe(
      '~/.coi/profiles/p10/config.toml: inherits: expected an inheritance chain of at most 10 ' +
        'profiles; got p1 → p2 → p3 → p4 → p5 → p6 → p7 → p8 → p9 → p10 → p11',
    );
  });

  it('detects cycles, naming the chain', () => {
    const host = makeHost();
    userProfile(host, 'a', 'inherits = "b"\n');
    userProfile(host, 'b', 'inherits = "c"\n');
    userProfile(host, 'c', 'inherits = "a"\n');
    expect(host.loadError({ profile: 'a' })).toBe(
      '~/.coi/profiles/c/config.toml: inherits: expected an inheritance chain without cycles; ' +
        'got a → b → c → a',
    );
    userProfile(host, 'self', 'inherits = "self"\n');
    expect(host.loadError({ profile: 'self' })).toContain('got self → self');
  });

  it('refuses a name defined both for the user and in the workspace, naming both files', () => {
    const host = makeHost();
    const user = userProfile(host, 'dup', '');
    const workspace = workspaceProfile(host, 'dup', '');
    expect(host.loadError({ profile: 'dup' })).toBe(
      `command line: profile: expected one profile named "dup"; got two: ` +
        `~/.coi/profiles/dup/config.toml and ${workspace}; rename or remove one`,
    );
    expect(user).toContain(host.home);
  });

  it('reports an unknown profile with the closest name, from the command line or inherits', () => {
    const host = makeHost();
    userProfile(host, 'hardened', '');
    userProfile(host, 'child', 'inherits = "hardend"\n');
    expect(host.loadError({ profile: 'hardend' })).toBe(
      'command line: profile: expected a profile in ~/.coi/profiles/<name>/config.toml or ' +
        './.coi/profiles/<name>/config.toml (found: child, hardened); got "hardend"; ' +
        'did you mean "hardened"?',
    );
    expect(host.loadError({ profile: 'child' })).toMatch(
      /^~\/\.coi\/profiles\/child\/config\.toml: inherits: expected a profile in .*; got "hardend"; did you mean "hardened"\?$/,
    );
  });

  it('validates profile files like config files', () => {
    const host = makeHost();
    userProfile(host, 'bad', 'inherits = "../etc"\n[tool]\nname = 3\n');
    let error: unknown;
    try {
      host.load({ profile: 'bad' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.key)).toEqual(['tool.name', 'inherits']);
  });

  it('finds CONTEXT.md along the chain and resolves build scripts from the profile directory', () => {
    const host = makeHost();
    const base = userProfile(host, 'base', '[container.build]\nscript = "setup.sh"\n');
    host.write(join(host.home, '.coi/profiles/base/CONTEXT.md'), 'base notes');
    workspaceProfile(host, 'app', 'inherits = "base"\n');
    const app = join(host.workspace, '.coi/profiles/app/CONTEXT.md');
    host.write(app, 'app notes');
    const { config, profile } = host.load({ profile: 'app' });
    expect(config.container.build.script).toBe(join(base, '..', 'setup.sh'));
    expect(profile?.contextFiles).toEqual([join(host.home, '.coi/profiles/base/CONTEXT.md'), app]);
  });

  it('lists user profiles, then workspace profiles, then the built-in ones, each sorted', () => {
    const host = makeHost();
    userProfile(host, 'zeta', '');
    userProfile(host, 'alpha', '');
    workspaceProfile(host, 'mid', '');
    host.write(join(host.home, '.coi/profiles/no-config/README'), '');
    expect(
      listProfiles({ home: host.home, workspace: host.workspace }).map(
        (p) => `${p.scope}:${p.name}`,
      ),
    ).toEqual(['user:alpha', 'user:zeta', 'workspace:mid', 'built-in:hardened']);
  });

  it('ships a trusted hardened profile: kernel surface reduced, Docker off, monitored, ephemeral', () => {
    const host = makeHost();
    host.write(join(host.home, '.coi/config.toml'), '[container]\npersistent = true\n');
    const { config, origins, warnings, profile } = host.load({ profile: 'hardened' });
    expect(warnings).toEqual([]);
    expect(profile?.chain.map((l) => l.scope)).toEqual(['built-in']);
    expect(config.container).toMatchObject({ persistent: false, docker: false });
    expect(config.security).toMatchObject({
      reduce_kernel_surface: true,
      host_immutable: true,
      disable_protection: false,
    });
    expect(config.network).toMatchObject({
      mode: 'restricted',
      block_private_networks: true,
      block_metadata_endpoint: true,
      allow_local_network_access: false,
    });
    expect(config.monitoring).toMatchObject({
      enabled: true,
      auto_pause_on_high: true,
      auto_kill_on_critical: true,
      nft: { enabled: true },
    });
    expect(config.ssh.forward_agent).toBe(false);
    expect(config.limits.runtime.max_duration).toBe('4h');
    expect(config.security.secret_paths).toEqual(
      expect.arrayContaining(['.env', 'database.yml', 'kubeconfig', 'secrets/**']),
    );
    expect(origins['security.reduce_kernel_surface']?.source).toBe('built-in profile "hardened"');
  });

  it('lets a workspace profile inherit hardened without loosening it', () => {
    const host = makeHost();
    const file = workspaceProfile(
      host,
      'strict',
      'inherits = "hardened"\n[security]\nreduce_kernel_surface = false\n[container]\ndocker = true\n',
    );
    const { config, warnings, profile } = host.load({ profile: 'strict' });
    expect(profile?.chain.map((l) => `${l.scope}:${l.name}`)).toEqual([
      'built-in:hardened',
      'workspace:strict',
    ]);
    expect(warnings.map((w) => `${w.file} ${w.key}`)).toEqual([
      `${file} security.reduce_kernel_surface`,
      `${file} container.docker`,
    ]);
    expect(config.security.reduce_kernel_surface).toBe(true);
    expect(config.container.docker).toBe(false);
  });

  it('takes a profile named like a built-in one instead of it', () => {
    const host = makeHost();
    userProfile(host, 'hardened', '[container]\nimage = "mine"\n');
    const names = listProfiles({ home: host.home, workspace: host.workspace }).map(
      (p) => `${p.scope}:${p.name}`,
    );
    expect(names).toEqual(['user:hardened']);
    const { config } = host.load({ profile: 'hardened' });
    expect(config.container.image).toBe('mine');
    expect(config.security.reduce_kernel_surface).toBe(false);
  });
});
