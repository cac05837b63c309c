import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHost } from './fixture.js';

const userFile = '~/.coi/config.toml';

describe('[container] docker, [security] reduce_kernel_surface and the new limits', () => {
  it('defaults: Docker on, kernel surface as is, no root quota, /tmp on disk, swap on', () => {
    const { config } = makeHost().load();
    expect(config.container.docker).toBe(true);
    expect(config.security).toMatchObject({
      reduce_kernel_surface: false,
      reduce_kernel_surface_strict: false,
    });
    expect(config.limits.disk).toMatchObject({ size: '', tmpfs_size: '' });
    expect(config.limits.memory.swap).toBe(true);
  });

  it("accepts upstream's swap spellings and sizes, and keeps booleans", () => {
    for (const swap of ['"true"', '"false"', '"2GiB"', 'false']) {
      const host = makeHost();
      host.write(join(host.home, '.coi/config.toml'), `[limits.memory]\nswap = ${swap}\n`);
      expect(host.load().config.limits.memory.swap).toEqual(JSON.parse(swap));
    }
  });

  it('refuses bad sizes naming the file and key', () => {
    const host = makeHost();
    host.write(
      join(host.home, '.coi/config.toml'),
      '[limits.memory]\nswap = "lots"\n[limits.disk]\nsize = "20 GB"\ntmpfs_size = 512\n',
    );
    expect(host.loadError().split('\n')).toEqual([
      `${userFile}: limits.memory.swap: expected true, false, "true", "false" or a size such as "1GiB"; got "lots"`,
      `${userFile}: limits.disk.size: expected "" or a size such as "10GiB" or "512MiB"; got "20 GB"`,
      `${userFile}: limits.disk.tmpfs_size: expected a string; got 512`,
    ]);
  });

  it('warns that docker = true does nothing while the kernel surface is reduced', () => {
    const host = makeHost();
    host.write(
      join(host.home, '.coi/config.toml'),
      '[container]\ndocker = true\n[security]\nreduce_kernel_surface_strict = true\n',
    );
    expect(host.load().warnings).toEqual([
      {
        file: userFile,
        key: 'container.docker',
        message:
          `${userFile}: container.docker = true has no effect: security.reduce_kernel_surface_strict ` +
          `(${userFile}) turns Docker support off in the container; turn it off to use Docker`,
      },
    ]);
  });

  it('says nothing when docker is only the default', () => {
    const host = makeHost();
    host.write(join(host.home, '.coi/config.toml'), '[security]\nreduce_kernel_surface = true\n');
    expect(host.load().warnings).toEqual([]);
  });
});
