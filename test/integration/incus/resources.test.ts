import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/shared/run.js';
import {
  Incus,
  IncusNotFoundError,
  IncusPreconditionFailedError,
} from '../../../src/incus/index.js';
import { BRIDGE, launchTestContainer, testName } from '../../helpers/testbed.js';

const incus = Incus.local();
const work = await mkdtemp(join(tmpdir(), 'coi-images-'));
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await incus.close();
});

describe('server, pools, networks, profiles', () => {
  it('reads the server, its extensions and environment', async () => {
    const server = await incus.server.get();
    expect(server.api_extensions).toContain('instance_create_start');
    expect(server.environment?.server_version).toMatch(/^6\./);
    expect(server.etag).toBeTruthy();
  });

  it('reads the storage pool and its free space', async () => {
    const pools = await incus.storagePools.list();
    expect(pools.length).toBeGreaterThan(0);
    const resources = await incus.storagePools.resources(pools[0]!.name);
    expect(resources.space.total).toBeGreaterThan(0);
    expect(await incus.storagePools.find('coi-test-no-such-pool')).toBeUndefined();
  });

  it('reads the managed bridge', async () => {
    const net = await incus.networks.get(BRIDGE);
    expect(net.managed).toBe(true);
    expect(net.config['ipv4.address']).toMatch(/\/\d+$/);
  });

  it('creates, replaces with an ETag and deletes a profile', async () => {
    const name = testName('profile');
    await incus.profiles.create({ name, config: { 'limits.cpu': '1' } });
    const profile = await incus.profiles.get(name);
    await incus.profiles.put(name, { description: 'x', config: {}, devices: {} }, profile.etag);
    await expect(
      incus.profiles.put(
        name,
        { description: 'y', config: { 'limits.cpu': '2' }, devices: {} },
        profile.etag,
      ),
    ).rejects.toBeInstanceOf(IncusPreconditionFailedError);
    await incus.profiles.delete(name);
    expect(await incus.profiles.find(name)).toBeUndefined();
  });
});

describe('images', () => {
  it('imports a split image as a streamed upload with progress, then deletes it', async () => {
    const alias = testName('split');
    await writeFile(
      join(work, 'metadata.yaml'),
      `architecture: x86_64\ncreation_date: ${Math.floor(Date.now() / 1000)}\nproperties:\n  os: test\n`,
    );
    await run('mkdir', ['-p', join(work, 'rootfs/etc')]);
    await writeFile(join(work, 'rootfs/etc/hostname'), 'tiny\n');
    await run('tar', ['-C', work, '-cf', join(work, 'meta.tar'), 'metadata.yaml']);
    await run('tar', ['-C', join(work, 'rootfs'), '-cf', join(work, 'rootfs.tar'), '.']);
    const progress: number[] = [];
    const op = await incus.images.importSplit(join(work, 'meta.tar'), join(work, 'rootfs.tar'), {
      aliases: [alias],
      properties: { description: 'coi test' },
      onUpload: (sent, total) => progress.push(sent / total),
    });
    const done = await op.wait({ timeoutMs: 60_000 });
    const expected = createHash('sha256')
      .update(await readFile(join(work, 'meta.tar')))
      .update(await readFile(join(work, 'rootfs.tar')))
      .digest('hex');
    expect(done.metadata?.fingerprint).toBe(expected);
    expect(progress.at(-1)).toBe(1);
    expect(await incus.images.exists(alias)).toBe(true);
    const image = await incus.images.findByAlias(alias);
    expect(image?.properties?.description).toBe('coi test');
    expect((await incus.images.aliases()).some((a) => a.name === alias)).toBe(true);
    await (await incus.images.delete(expected)).wait();
    expect(await incus.images.exists(alias)).toBe(false);
    await expect(incus.images.get(expected)).rejects.toBeInstanceOf(IncusNotFoundError);
  });

  it('publishes a snapshot of a running container under an alias', async () => {
    const name = await launchTestContainer('publish');
    await (await incus.snapshots.create(name, { name: 's0' })).wait();
    const alias = testName('published');
    const op = await incus.images.publish({
      source: { type: 'snapshot', name: `${name}/s0` },
      aliases: [{ name: alias, description: 'published by a test' }],
      compression_algorithm: 'none',
    });
    const done = await op.wait({ timeoutMs: 120_000 });
    const fingerprint = String(done.metadata?.fingerprint);
    expect(await incus.images.exists(alias)).toBe(true);
    await incus.images.createAlias(`${alias}-b`, fingerprint, 'second');
    expect((await incus.images.getAlias(`${alias}-b`)).target).toBe(fingerprint);
    await incus.images.deleteAlias(`${alias}-b`);
    await (await incus.images.delete(fingerprint)).wait();
  });
});
