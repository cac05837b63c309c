import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../../src/cli/errors.js';
import { ConfigError } from '../../../../src/core/config/index.js';
import { makeHost } from './fixture.js';

function userConfigError(text: string): ConfigError {
  const host = makeHost();
  host.write(join(host.home, '.coi/config.toml'), text);
  try {
    host.load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config errors', () => {
  it('bad enum value: names file, key, choices and the value found', () => {
    const error = userConfigError('[network]\nmode = "opne"\n');
    expect(error.message).toBe(
      '~/.coi/config.toml: network.mode: expected one of restricted, allowlist, open; got "opne"',
    );
    expect(exitCodeFor(error)).toBe(2);
    expect(error.issues).toEqual([
      {
        file: '~/.coi/config.toml',
        key: 'network.mode',
        expected: 'one of restricted, allowlist, open',
        got: '"opne"',
      },
    ]);
  });

  it('wrong types', () => {
    const error = userConfigError(
      [
        '[container]',
        'persistent = "yes"',
        'shutdown_timeout = 1.5',
        '[network]',
        'allowed_domains = "example.com"',
        'block_private_networks = 1',
        '[[mounts.default]]',
        'host = "/data"',
      ].join('\n'),
    );
    expect(error.message.split('\n')).toEqual([
      '~/.coi/config.toml: container.persistent: expected true or false; got "yes"',
      '~/.coi/config.toml: container.shutdown_timeout: expected an integer; got 1.5',
      '~/.coi/config.toml: network.allowed_domains: expected an array; got "example.com"',
      '~/.coi/config.toml: network.block_private_networks: expected true or false; got 1',
      '~/.coi/config.toml: mounts.default[0].container: expected a string; got nothing (the key is missing)',
    ]);
  });

  it('values out of range or format', () => {
    const error = userConfigError(
      [
        '[limits.cpu]',
        'priority = 11',
        '[limits.memory]',
        'limit = "lots"',
        '[network]',
        'allowed_domains = ["*.github.com", "api.github.com:443", "10.0.0.0/8", "bad host", "*.10.0.0.0/8", "a.*.com"]',
        '[defaults.environment]',
        '"BAD-NAME" = "x"',
        '[timezone]',
        'name = "Mars/Olympus"',
      ].join('\n'),
    );
    expect(error.message.split('\n')).toEqual([
      '~/.coi/config.toml: defaults.environment.BAD-NAME: expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*); got the key "BAD-NAME"',
      '~/.coi/config.toml: network.allowed_domains[3]: expected a host name, "*.domain" (any name under domain), IPv4 address or CIDR, optionally followed by :ports (443, 8000-8100 or 80,8000-8100); got "bad host"',
      '~/.coi/config.toml: network.allowed_domains[4]: expected a host name, "*.domain" (any name under domain), IPv4 address or CIDR, optionally followed by :ports (443, 8000-8100 or 80,8000-8100); got "*.10.0.0.0/8"',
      '~/.coi/config.toml: network.allowed_domains[5]: expected a host name, "*.domain" (any name under domain), IPv4 address or CIDR, optionally followed by :ports (443, 8000-8100 or 80,8000-8100); got "a.*.com"',
      '~/.coi/config.toml: limits.cpu.priority: expected a number <= 10; got 11',
      '~/.coi/config.toml: limits.memory.limit: expected "" or a size ("2GiB") or share ("50%"); got "lots"',
      '~/.coi/config.toml: timezone.name: expected an IANA time zone such as "Europe/Berlin"; got "Mars/Olympus"',
    ]);
  });

  it('unknown keys and sections suggest the nearest known key', () => {
    const error = userConfigError('[network]\nmdoe = "open"\n[netwrk]\n[monitoring]\nmode = "x"\n');
    expect(error.issues.map((i) => [i.key, i.got, i.hint])).toEqual([
      ['network.mdoe', 'unknown key "mdoe"', 'did you mean "network.mode"?'],
      ['monitoring.mode', 'unknown key "mode"', 'did you mean "network.mode"?'],
      ['netwrk', 'unknown key "netwrk"', 'did you mean "network"?'],
    ]);
    expect(error.message.split('\n')[0]).toBe(
      '~/.coi/config.toml: network.mdoe: expected a key of [network] (mode, allowed_domains, ' +
        'refresh_interval_minutes, allow_local_network_access, block_private_networks, ' +
        'block_metadata_endpoint, hosts, allowed_ports, dns_servers, proxy); got unknown key "mdoe"; did you mean "network.mode"?',
    );
    expect(error.message).not.toContain('inherits');
  });

  it('unknown keys far from anything get no suggestion', () => {
    const error = userConfigError('[tool]\nfavourite_colour = "blue"\n');
    expect(error.issues[0]).not.toHaveProperty('hint');
  });

  it('TOML syntax errors carry line and column', () => {
    const error = userConfigError('[network]\nmode = "open"\n[limits\n');
    expect(error.issues[0]).toMatchObject({
      file: '~/.coi/config.toml',
      line: 3,
      expected: 'valid TOML',
    });
    expect(error.message).toMatch(/^~\/\.coi\/config\.toml:3:\d+: expected valid TOML; got .+/);
  });

  it('collects issues from every file before failing', () => {
    const host = makeHost();
    host.write(join(host.home, '.coi/config.toml'), '[ssh]\nforward_agent = "no"\n');
    host.write(join(host.workspace, '.coi/config.toml'), 'x = \n');
    host.write(join(host.etc, 'config.toml'), '[git]\nwritable_hooks = 0\n');
    const lines = host.loadError().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /etc\/coi\/config\.toml: git\.writable_hooks: expected true or false; got 0$/,
    );
    expect(lines[1]).toBe(
      '~/.coi/config.toml: ssh.forward_agent: expected true or false; got "no"',
    );
    expect(lines[2]).toMatch(/work\/project\/\.coi\/config\.toml:1:\d+: expected valid TOML/);
  });

  it('rules between keys are reported against the file that set the deciding key', () => {
    const host = makeHost();
    host.write(
      join(host.home, '.coi/config.toml'),
      '[network]\nmode = "allowlist"\nallowed_domains = []\n[timezone]\nmode = "fixed"\n',
    );
    expect(host.loadError().split('\n')).toEqual([
      '~/.coi/config.toml: network.allowed_domains: expected at least one host when network.mode is "allowlist"; got an empty array',
      '~/.coi/config.toml: timezone.name: expected an IANA time zone when timezone.mode is "fixed"; got nothing (the key is missing)',
    ]);
  });

  it('refuses conflicting old and new spellings in one file', () => {
    const error = userConfigError('[defaults]\nimage = "a"\n[container]\nimage = "b"\n');
    expect(error.issues[0]).toMatchObject({ key: 'defaults.image', got: '"a"' });
  });

  it('[git] guard keys name the file and key path', () => {
    const error = userConfigError(
      '[git]\nprotected_branches = ["main", "-rf"]\nstrip_attribution_patterns = ["a\\nb"]\nreadonly = "yes"\n',
    );
    expect(error.message.split('\n')).toEqual([
      '~/.coi/config.toml: git.readonly: expected true or false; got "yes"',
      '~/.coi/config.toml: git.strip_attribution_patterns[0]: expected a non-empty single line; got "a\\nb"',
      '~/.coi/config.toml: git.protected_branches[1]: expected a branch name such as "main" or "release/1.x"; got "-rf"',
    ]);
  });

  it('secret and writable paths must stay inside the workspace', () => {
    const error = userConfigError(
      [
        '[security]',
        'secret_paths = [".env", "../other/.env", "/etc/shadow", "key[0-9"]',
        'writable_paths = ["../x"]',
      ].join('\n'),
    );
    expect(exitCodeFor(error)).toBe(2);
    expect(error.message.split('\n')).toEqual([
      '~/.coi/config.toml: security.writable_paths[0]: expected a path relative to the workspace, without ".."; got "../x"',
      '~/.coi/config.toml: security.secret_paths[1]: expected a glob inside the workspace, without ".."; got "../other/.env"',
      '~/.coi/config.toml: security.secret_paths[2]: expected a glob relative to the workspace; got "/etc/shadow"',
      '~/.coi/config.toml: security.secret_paths[3]: expected a glob whose every "[" has its "]"; got "key[0-9"',
    ]);
  });
});
