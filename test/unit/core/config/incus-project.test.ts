import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/core/config/errors.js';
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import {
  DEFAULTS_PROJECT_LINE,
  DEFAULTS_REMOTE_LINE,
  incusListingKeys,
} from '../../../../src/core/config/incus-project.js';
import { DEFAULT_CONFIG_FILE } from '../../../../src/core/config/sources.js';
import { makeHost, type Host } from './fixture.js';

const project = (name: string) => `[incus]\nproject = "${name}"\n`;
const incusProject = async (opts: Parameters<typeof incusListingKeys>[0]) =>
  (await incusListingKeys(opts)).project;

function both(host: Host, env: Record<string, string> = {}) {
  const opts = { cwd: host.workspace, home: host.home, etcDir: host.etc, env };
  return Promise.all([incusProject(opts), host.load({ env }).config.incus.project]);
}

describe('incusProject', () => {
  it('is what loadConfig makes of [incus] project, layer over layer', async () => {
    const host = makeHost();
    expect(await both(host)).toEqual(['default', 'default']);
    host.write('etc/coi/config.toml', project('from-etc'));
    expect(await both(host)).toEqual(['from-etc', 'from-etc']);
    host.write('home/.config/coi/config.toml', project('from-xdg'));
    expect(await both(host)).toEqual(['from-xdg', 'from-xdg']);
    host.write('home/.coi/config.toml', `${project('from-home')}[container]\nimage = "x"\n`);
    expect(await both(host)).toEqual(['from-home', 'from-home']);
    // The workspace's own file may not choose the project.
    host.write('work/project/.coi/config.toml', project('from-workspace'));
    expect(await both(host)).toEqual(['from-home', 'from-home']);
    const file = host.write('elsewhere.toml', project('from-env'));
    expect(await both(host, { COI_CONFIG: file })).toEqual(['from-env', 'from-env']);
  });

  it('reports a file it cannot read the project from as a ConfigError naming the file', async () => {
    const host = makeHost();
    const opts = { cwd: host.workspace, home: host.home, etcDir: host.etc, env: {} };
    host.write('home/.coi/config.toml', '[incus\nproject = 1\n');
    await expect(incusProject(opts)).rejects.toThrow(ConfigError);
    await expect(incusProject(opts)).rejects.toThrow('~/.coi/config.toml');
    host.write('home/.coi/config.toml', '[incus]\nproject = 1\n');
    await expect(incusProject(opts)).rejects.toThrow(/incus\.project/);
    const missing = { ...opts, env: { COI_CONFIG: `${host.root}/nope.toml` } };
    await expect(incusProject(missing)).rejects.toThrow(ConfigError);
  });

  it('reads the defaults file by its one project line, which is what TOML makes of it', () => {
    const text = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');
    const parsed = parse(text) as { incus: { project: string } };
    expect(DEFAULTS_PROJECT_LINE.exec(text)?.[1]).toBe(parsed.incus.project);
    expect(DEFAULTS_PROJECT_LINE.exec('[incus]\ngroup = "g"\nproject = "p"\n')?.[1]).toBe('p');
    expect(DEFAULTS_PROJECT_LINE.exec('[incus]\n[paths]\nproject = "p"\n')).toBeNull();
    expect(DEFAULTS_PROJECT_LINE.exec('[other]\nproject = "p"\n')).toBeNull();
  });

  it('parses only the files that can name the key, an escaped spelling included', async () => {
    const host = makeHost();
    const opts = { cwd: host.workspace, home: host.home, etcDir: host.etc, env: {} };
    // Not TOML, but no word of the project: `coi list` leaves it to the commands that load it all.
    host.write('home/.coi/config.toml', '[container\nimage = 1\n');
    expect(await incusProject(opts)).toBe('default');
    host.write('home/.coi/config.toml', '[incus]\n"proj\\u0065ct" = "escaped"\n');
    expect(await both(host)).toEqual(['escaped', 'escaped']);
  });
});

describe('incusListingKeys: [incus] remote', () => {
  const remote = (name: string) => `[incus]\nremote = "${name}"\n`;

  function bothRemote(host: Host) {
    const opts = { cwd: host.workspace, home: host.home, etcDir: host.etc, env: {} };
    return Promise.all([
      incusListingKeys(opts).then((k) => k.remote),
      host.load({ env: {} }).config.incus.remote,
    ]);
  }

  it('is what loadConfig makes of it: "" (this host) unless a trusted file names a remote', async () => {
    const host = makeHost();
    expect(await bothRemote(host)).toEqual(['', '']);
    host.write('home/.coi/config.toml', remote('lab'));
    expect(await bothRemote(host)).toEqual(['lab', 'lab']);
    // The workspace's own file may not send coi to another host.
    host.write('work/project/.coi/config.toml', remote('elsewhere'));
    expect(await bothRemote(host)).toEqual(['lab', 'lab']);
  });

  it('a remote that is not a string is a ConfigError naming the key', async () => {
    const host = makeHost();
    const opts = { cwd: host.workspace, home: host.home, etcDir: host.etc, env: {} };
    host.write('home/.coi/config.toml', '[incus]\nremote = 3\n');
    await expect(incusListingKeys(opts)).rejects.toThrow(/incus\.remote/);
  });

  it('reads the defaults file by its one remote line, which is what TOML makes of it', () => {
    const text = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');
    const parsed = parse(text) as { incus: { remote: string } };
    expect(DEFAULTS_REMOTE_LINE.exec(text)?.[1]).toBe(parsed.incus.remote);
    expect(DEFAULTS_REMOTE_LINE.exec('[incus]\n[paths]\nremote = "r"\n')).toBeNull();
  });
});
