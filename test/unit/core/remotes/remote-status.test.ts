import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { remoteStatuses } from '../../../../src/core/remotes/remote-status.js';
import { CoiError } from '../../../../src/shared/errors.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coi-remote-status-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('remoteStatuses', () => {
  it('lists every remote with the default marked; probes Incus ones, not image servers', async () => {
    await writeFile(
      join(dir, 'config.yml'),
      [
        'default-remote: gone',
        'remotes:',
        '  gone:',
        `    addr: unix://${join(dir, 'no.socket')}`,
        '    protocol: incus',
        '  images:',
        '    addr: https://images.example',
        '    protocol: simplestreams',
        '    public: true',
        '  nocert:',
        '    addr: https://192.0.2.9:8443',
        '    protocol: incus',
        '',
      ].join('\n'),
    );
    const statuses = await remoteStatuses({ configDir: dir, timeoutMs: 500 });
    const byName = Object.fromEntries(statuses.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(['gone', 'images', 'local', 'nocert']);
    expect(statuses.filter((s) => s.isDefault).map((s) => s.name)).toEqual(['gone']);
    expect(byName.gone!.reach).toEqual({
      reachable: false,
      reason: expect.stringMatching(/^ENOENT/) as string,
    });
    expect(byName.images!.reach).toBeUndefined();
    // No client certificate in the directory: said before any connection is tried.
    expect(byName.nocert!.reach).toEqual({
      reachable: false,
      reason: expect.stringContaining('no client certificate') as string,
    });
  });

  it('a config.yml it cannot read is a config error naming the line', async () => {
    await writeFile(join(dir, 'config.yml'), 'remotes:\n\t- x\n');
    const failing = remoteStatuses({ configDir: dir });
    await expect(failing).rejects.toBeInstanceOf(CoiError);
    await expect(failing).rejects.toMatchObject({ kind: 'config' });
    await expect(failing).rejects.toThrow(/config\.yml line 2/);
  });
});
