import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approveWorkspace } from '../../../../src/core/config/approvals.js';
import { ConfigError } from '../../../../src/core/config/index.js';
import { makeHost } from './fixture.js';

const USER_FILE = '.coi/config.toml';

describe('[ports]', () => {
  it('publishes nothing by default', () => {
    expect(makeHost().load().config.ports).toEqual({ pool: 0, map: [] });
  });

  it('reads a pool and named ports as the Go coi writes them, listening on loopback by default', () => {
    const host = makeHost();
    host.write(
      join(host.home, USER_FILE),
      [
        '[ports]',
        'pool = 3',
        '[[ports.map]]',
        'name = "web"',
        'container = 3000',
        '[[ports.map]]',
        'name = "api"',
        'container = 8080',
        'host = 18080',
        'listen = "0.0.0.0"',
      ].join('\n'),
    );
    const { config, origins } = host.load();
    expect(config.ports).toEqual({
      pool: 3,
      map: [
        { name: 'web', container: 3000, listen: '127.0.0.1' },
        { name: 'api', container: 8080, host: 18080, listen: '0.0.0.0' },
      ],
    });
    expect(origins['ports.map']?.source).toBe(`~/${USER_FILE}`);
  });

  const refused = (lines: string[]) => {
    const host = makeHost();
    host.write(join(host.home, USER_FILE), lines.join('\n'));
    try {
      host.load();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).kind).toBe('config');
      return (error as Error).message;
    }
    throw new Error('expected the config to be refused');
  };
  const entry = (fields: string) => ['[[ports.map]]', ...fields.split('; ')];

  it.each([
    [
      entry('name = "web"; container = 70000'),
      'ports.map[0].container: expected a number <= 65535; got 70000',
    ],
    [entry('name = "web"; container = 0'), 'ports.map[0].container: expected a number >= 1; got 0'],
    [
      entry('name = "web"; container = 80; host = -1'),
      'ports.map[0].host: expected a number >= 0; got -1',
    ],
    [
      entry('name = "web"; container = 80; listen = "localhost:80"'),
      'ports.map[0].listen: expected an IP address such as "127.0.0.1" or "0.0.0.0"; got "localhost:80"',
    ],
    [
      entry('name = "my web"; container = 80'),
      'ports.map[0].name: expected a letter, then letters, digits',
    ],
    [
      entry('name = "pool_2"; container = 80'),
      'ports.map[0].name: expected a name other than "pool-<n>"',
    ],
    [['[ports]', 'pool = 11'], 'ports.pool: expected a number <= 10; got 11'],
  ])('refuses a bad value naming file and key: %j', (lines, message) => {
    expect(refused(lines)).toContain(`~/${USER_FILE}: ${message}`);
  });

  it('refuses two entries with one name (ignoring case, - and _) or one host port', () => {
    const names = refused([
      ...entry('name = "my-web"; container = 80'),
      ...entry('name = "My_Web"; container = 81'),
    ]);
    expect(names).toContain(
      `~/${USER_FILE}: ports.map[1].name: expected a name no other entry has (ports.map[0] is "my-web"`,
    );
    const hosts = refused([
      ...entry('name = "a"; container = 80; host = 18000'),
      ...entry('name = "b"; container = 81; host = 18000; listen = "0.0.0.0"'),
    ]);
    expect(hosts).toContain(
      `~/${USER_FILE}: ports.map[1].host: expected a host port no other entry uses (ports.map[0] "a" publishes on it); got 18000`,
    );
  });

  it('refuses more automatic ports than a slot has, pinned entries not counted', () => {
    const lines = [
      '[ports]',
      'pool = 9',
      ...entry('name = "a"; container = 80'),
      ...entry('name = "b"; container = 81'),
    ];
    expect(refused(lines)).toContain(
      `~/${USER_FILE}: ports.map: expected at most 10 automatically allocated ports (ports.pool plus [[ports.map]] entries without "host"); got 11 (pool 9 + 2 unpinned)`,
    );
    const host = makeHost();
    host.write(join(host.home, USER_FILE), [...lines, 'host = 18001'].join('\n'));
    expect(host.load().config.ports.pool).toBe(9);
  });

  it('is held back from the workspace until approved (a user-set pool stays), then applies', () => {
    const host = makeHost();
    host.write(join(host.home, USER_FILE), '[ports]\npool = 2\n');
    const file = host.write(
      join(host.workspace, '.coi/config.toml'),
      ['[ports]', 'pool = 5', ...entry('name = "web"; container = 3000; host = 80')].join('\n'),
    );
    const { config, warnings } = host.load();
    expect(config.ports).toEqual({ pool: 2, map: [] });
    expect(warnings.map((w) => w.message)).toEqual([
      `${file}: ports ignored: a workspace file may reach the host only once you approve it; ` +
        'review it, then run `coi trust` in this workspace (needed again after every change)',
    ]);
    approveWorkspace({ home: host.home, workspace: host.workspace });
    const approved = host.load();
    expect(approved.warnings).toEqual([]);
    expect(approved.config.ports.pool).toBe(5);
    expect(approved.config.ports.map.map((m) => m.name)).toEqual(['web']);
  });

  it('lets the workspace say pool = 0, which publishes nothing', () => {
    const host = makeHost();
    host.write(join(host.workspace, '.coi/config.toml'), '[ports]\npool = 0\n');
    expect(host.load().warnings).toEqual([]);
  });
});
