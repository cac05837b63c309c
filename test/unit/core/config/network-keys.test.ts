import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveEntries } from '../../../../src/core/config/index.js';
import { makeHost } from './fixture.js';

const USER_FILE = '~/.coi/config.toml';

describe('[network] hosts, allowed_ports, dns_servers and port ranges', () => {
  it('default to none', () => {
    const { config } = makeHost().load();
    expect(config.network).toMatchObject({ hosts: [], allowed_ports: [], dns_servers: [] });
  });

  it('load from a trusted file, with port ranges in hosts and allowed_domains', () => {
    const host = makeHost();
    host.write(
      join(host.home, '.coi/config.toml'),
      [
        '[network]',
        'allowed_ports = [443, 8443]',
        'dns_servers = ["192.168.1.1"]',
        'allowed_domains = ["api.example.com:80,8000-8100", "10.0.0.5:8000-8100"]',
        '[[network.hosts]]',
        'ip = "192.168.1.50"',
        'hostnames = ["nas.lan", "nas"]',
        'ports = [5432, "8000-8100"]',
        '[[network.hosts]]',
        'ip = "192.168.1.51"',
        'hostnames = ["printer.lan"]',
      ].join('\n'),
    );
    const { config, origins } = host.load();
    const shown = new Map(effectiveEntries(config, origins).map((e) => [e.key, e]));
    expect(shown.get('network.allowed_ports')).toMatchObject({
      value: [443, 8443],
      origin: { source: USER_FILE },
    });
    expect(shown.get('network.dns_servers')?.value).toEqual(['192.168.1.1']);
    expect(shown.get('network.hosts')?.value).toEqual(config.network.hosts);
    expect(config.network.hosts).toEqual([
      { ip: '192.168.1.50', hostnames: ['nas.lan', 'nas'], ports: [5432, '8000-8100'] },
      { ip: '192.168.1.51', hostnames: ['printer.lan'], ports: [] },
    ]);
    expect(config.network.allowed_ports).toEqual([443, 8443]);
    expect(config.network.dns_servers).toEqual(['192.168.1.1']);
  });

  it('refuse bad ports, ranges and addresses, naming the file and the key', () => {
    const host = makeHost();
    host.write(
      join(host.home, '.coi/config.toml'),
      [
        '[network]',
        'allowed_ports = [0, 443]',
        'dns_servers = ["8.8.8"]',
        'allowed_domains = ["10.0.0.5:8100-8000", "example.com:70000", "example.org:1-2000"]',
        '[[network.hosts]]',
        'ip = "nas.lan"',
        'hostnames = []',
        'ports = ["9-3"]',
      ].join('\n'),
    );
    expect(host.loadError().split('\n')).toEqual([
      `${USER_FILE}: network.allowed_domains[0]: expected an entry whose ports are valid (it has a bad port: "8100-8000": a range runs from the lower port to the higher one (8000-8100)); got "10.0.0.5:8100-8000"`,
      `${USER_FILE}: network.allowed_domains[1]: expected an entry whose ports are valid (it has a bad port: "70000": ports are 1-65535); got "example.com:70000"`,
      `${USER_FILE}: network.allowed_domains[2]: expected an entry whose ports are valid (it names 2000 ports; a host name may name at most 1024 (list its IPv4 address or CIDR for a wider range)); got "example.org:1-2000"`,
      `${USER_FILE}: network.hosts[0].ip: expected an IPv4 address (a.b.c.d); got "nas.lan"`,
      `${USER_FILE}: network.hosts[0].hostnames: expected an array with >= 1 entries; got an empty array`,
      `${USER_FILE}: network.hosts[0].ports[0]: expected a port range like "8000-8100" ("9-3": a range runs from the lower port to the higher one (3-9)); got "9-3"`,
      `${USER_FILE}: network.allowed_ports[0]: expected a number >= 1; got 0`,
      `${USER_FILE}: network.dns_servers[0]: expected an IPv4 address (a.b.c.d); got "8.8.8"`,
    ]);
  });

  it('refuse dns_servers in allowlist mode, naming the file that set them', () => {
    const host = makeHost();
    host.write(
      join(host.home, '.coi/config.toml'),
      '[network]\nmode = "allowlist"\ndns_servers = ["1.1.1.1"]\n',
    );
    expect(host.loadError()).toBe(
      `${USER_FILE}: network.dns_servers: expected no DNS servers when network.mode is "allowlist" ` +
        '(coi answers the allowlisted names itself); got ["1.1.1.1"]; ' +
        'remove dns_servers or use network.mode = "restricted"',
    );
  });

  it('are dropped from a workspace file with one warning each', () => {
    const host = makeHost();
    host.write(
      join(host.workspace, '.coi/config.toml'),
      [
        '[network]',
        'allowed_ports = [22]',
        'dns_servers = ["203.0.113.53"]',
        '[[network.hosts]]',
        'ip = "192.168.1.1"',
        'hostnames = ["router.lan"]',
      ].join('\n'),
    );
    const { config, warnings } = host.load();
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(
        /network\.hosts = \[…\] ignored: a workspace file cannot open the firewall to named hosts;/,
      ),
      expect.stringMatching(
        /network\.allowed_ports = \[…\] ignored: a workspace file cannot choose the ports that may go out;/,
      ),
      expect.stringMatching(
        /network\.dns_servers = \[…\] ignored: a workspace file cannot choose the DNS servers;/,
      ),
    ]);
    expect(config.network).toMatchObject({ hosts: [], allowed_ports: [], dns_servers: [] });
  });

  it('[network.proxy] no_sni defaults to refuse, is shown, and a workspace file may not allow', () => {
    const host = makeHost();
    expect(host.load().config.network.proxy).toEqual({
      no_sni: 'refuse',
      inject: [],
      inject_in_open: false,
    });
    host.write(join(host.home, '.coi/config.toml'), '[network.proxy]\nno_sni = "allow"\n');
    const { config, origins } = host.load();
    const shown = new Map(effectiveEntries(config, origins).map((e) => [e.key, e]));
    expect(shown.get('network.proxy.no_sni')).toMatchObject({
      value: 'allow',
      origin: { source: USER_FILE },
    });
    host.write(join(host.home, '.coi/config.toml'), '');
    host.write(join(host.workspace, '.coi/config.toml'), '[network.proxy]\nno_sni = "allow"\n');
    const workspace = host.load();
    expect(workspace.config.network.proxy.no_sni).toBe('refuse');
    expect(workspace.warnings.map((w) => w.message).join('\n')).toContain('network.proxy.no_sni');
  });

  it('[network.proxy] inject_in_open defaults to false, is shown, and a workspace file may not set it', () => {
    const host = makeHost();
    host.write(join(host.home, '.coi/config.toml'), '[network.proxy]\ninject_in_open = true\n');
    const { config, origins } = host.load();
    const shown = new Map(effectiveEntries(config, origins).map((e) => [e.key, e]));
    expect(shown.get('network.proxy.inject_in_open')).toMatchObject({
      value: true,
      origin: { source: USER_FILE },
    });
    host.write(join(host.home, '.coi/config.toml'), '');
    host.write(
      join(host.workspace, '.coi/config.toml'),
      '[network.proxy]\ninject_in_open = true\n',
    );
    const workspace = host.load();
    expect(workspace.config.network.proxy.inject_in_open).toBe(false);
    expect(workspace.warnings.map((w) => w.message).join('\n')).toContain(
      'network.proxy.inject_in_open',
    );
  });

  it('[network.proxy] no_sni takes refuse or allow only', () => {
    const host = makeHost();
    host.write(join(host.home, '.coi/config.toml'), '[network.proxy]\nno_sni = "maybe"\n');
    expect(host.loadError()).toMatch(/network\.proxy\.no_sni/);
  });

  it('[[network.proxy.inject]] loads from a trusted file, is shown, and a workspace file may not set it', () => {
    const host = makeHost();
    const rule = [
      '[[network.proxy.inject]]',
      'domain = "api.github.com"',
      'header = "Authorization"',
      'command = "gh auth token"',
      'format = "Bearer {}"',
      '[[network.proxy.inject]]',
      'domain = "*.corp.test"',
      'header = "X-Api-Key"',
      'file = "~/.corp/token.json"',
      'json_pointer = "/key"',
    ].join('\n');
    host.write(join(host.home, '.coi/config.toml'), rule);
    const { config, origins } = host.load();
    expect(config.network.proxy.inject).toEqual([
      {
        domain: 'api.github.com',
        header: 'Authorization',
        command: 'gh auth token',
        format: 'Bearer {}',
      },
      {
        domain: '*.corp.test',
        header: 'X-Api-Key',
        file: '~/.corp/token.json',
        json_pointer: '/key',
        format: '{}',
      },
    ]);
    const shown = new Map(effectiveEntries(config, origins).map((e) => [e.key, e]));
    expect(shown.get('network.proxy.inject')).toMatchObject({ origin: { source: USER_FILE } });
    host.write(join(host.home, '.coi/config.toml'), '');
    host.write(join(host.workspace, '.coi/config.toml'), rule);
    const workspace = host.load();
    expect(workspace.config.network.proxy.inject).toEqual([]);
    expect(workspace.warnings.map((w) => w.message).join('\n')).toMatch(
      /network\.proxy\.inject = \[…\] ignored: a workspace file cannot send host secrets/,
    );
  });

  it.each([
    [
      'no source',
      'domain = "a.test"\nheader = "X-Key"',
      /network\.proxy\.inject\[0\]: expected exactly one of file, env or command \(none given\)/,
    ],
    [
      'two sources',
      'domain = "a.test"\nheader = "X-Key"\nenv = "K"\ncommand = "c"',
      /inject\[0\]\.command.*found env and command/,
    ],
    [
      'a pointer without a file',
      'domain = "a.test"\nheader = "X-Key"\nenv = "K"\njson_pointer = "/a"',
      /inject\[0\]\.json_pointer.*used with file only/,
    ],
    [
      'a sentinel without env',
      'domain = "a.test"\nheader = "X-Key"\ncommand = "c"\nsentinel = "s"',
      /inject\[0\]\.sentinel.*used with env only/,
    ],
    [
      'a framing header',
      'domain = "a.test"\nheader = "Host"\nenv = "K"',
      /inject\[0\]\.header.*other than Host/,
    ],
    [
      'an address',
      'domain = "10.0.0.1"\nheader = "X-Key"\nenv = "K"',
      /inject\[0\]\.domain.*a host name/,
    ],
    [
      'a format without {}',
      'domain = "a.test"\nheader = "X-Key"\nenv = "K"\nformat = "Bearer"',
      /inject\[0\]\.format.*with \{\} where the secret goes/,
    ],
  ])('[[network.proxy.inject]] with %s is refused, naming the key', (_what, body, message) => {
    const host = makeHost();
    host.write(join(host.home, '.coi/config.toml'), `[[network.proxy.inject]]\n${body}\n`);
    expect(host.loadError()).toMatch(message);
  });

  it('[tool.claude] credentials defaults to copy, takes proxy from a trusted file only', () => {
    const host = makeHost();
    expect(host.load().config.tool.claude.credentials).toBe('copy');
    host.write(join(host.home, '.coi/config.toml'), '[tool.claude]\ncredentials = "proxy"\n');
    const { config, origins } = host.load();
    expect(config.tool.claude.credentials).toBe('proxy');
    const shown = new Map(effectiveEntries(config, origins).map((e) => [e.key, e]));
    expect(shown.get('tool.claude.credentials')).toMatchObject({ value: 'proxy' });
    host.write(join(host.home, '.coi/config.toml'), '');
    host.write(join(host.workspace, '.coi/config.toml'), '[tool.claude]\ncredentials = "proxy"\n');
    expect(host.load().config.tool.claude.credentials).toBe('copy');
    host.write(join(host.home, '.coi/config.toml'), '[tool.claude]\ncredentials = "both"\n');
    expect(host.loadError()).toMatch(/tool\.claude\.credentials/);
  });
});
