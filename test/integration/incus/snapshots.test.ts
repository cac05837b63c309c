import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncusNotFoundError, IncusUnsupportedError } from '../../../src/incus/errors.js';
import { eventInstance, isLifecycle } from '../../../src/incus/events.js';
import type { IncusEvent, LifecycleEvent } from '../../../src/incus/event-types.js';
import { Incus } from '../../../src/incus/index.js';
import type { OperationProgress } from '../../../src/incus/operation-progress.js';
import { launchTestContainer, testName } from '../../helpers/testbed.js';

const incus = Incus.local();
let name: string;

beforeAll(async () => {
  await incus.connect();
  name = await launchTestContainer('snap', { config: { 'user.coi.marker': 'v1' } });
});

afterAll(async () => {
  await incus.close();
});

const marker = async () => (await incus.instances.get(name)).value.config['user.coi.marker'];

describe('snapshots', () => {
  it('creates, lists, gets, renames, restores and deletes, with lifecycle events', async () => {
    const events: LifecycleEvent[] = [];
    const unsubscribe = incus.events.subscribe((e: IncusEvent) => {
      if (
        e.type === 'lifecycle' &&
        /snapshot|restored/.test(e.metadata.action) &&
        eventInstance(e) === name
      ) {
        events.push(e);
      }
    });
    try {
      await (await incus.snapshots.create(name, { name: 's0' })).wait();
      expect(await incus.snapshots.names(name)).toEqual(['s0']);
      const [listed] = await incus.snapshots.list(name);
      expect(listed).toMatchObject({ name: 's0', stateful: false });
      expect((await incus.snapshots.get(name, 's0')).config['user.coi.marker']).toBe('v1');

      await incus.instances.patch(name, { config: { 'user.coi.marker': 'v2' } });
      await (await incus.snapshots.rename(name, 's0', 's1')).wait();
      await (await incus.snapshots.restore(name, 's1')).wait();
      expect(await marker()).toBe('v1');
      expect((await incus.instances.get(name)).value.status).toBe('Running');

      await (await incus.snapshots.create(name)).wait();
      const auto = (await incus.snapshots.names(name)).find((n) => n !== 's1');
      expect(auto).toMatch(/^snap\d+$/);
      await (await incus.snapshots.delete(name, 's1')).wait();
      await (await incus.snapshots.delete(name, auto!)).wait();
      await expect(incus.snapshots.get(name, 's1')).rejects.toBeInstanceOf(IncusNotFoundError);

      // Lifecycle events may trail the operation's end by a moment.
      for (let i = 0; i < 50 && events.length < 6; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(events.map((e) => e.metadata.action)).toEqual([
        'instance-snapshot-created',
        'instance-snapshot-renamed',
        'instance-restored',
        'instance-snapshot-created',
        'instance-snapshot-deleted',
        'instance-snapshot-deleted',
      ]);
      const renamed = events[1]!;
      expect(
        isLifecycle(renamed, 'instance-snapshot-renamed') && renamed.metadata.context?.old_name,
      ).toBe(`${name}/s0`);
    } finally {
      unsubscribe();
    }
  });

  it('stateful snapshots: refused up front without migration.stateful, and a missing CRIU is explained', async () => {
    const refused = await incus.snapshots
      .create(name, { name: 'st', stateful: true })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IncusUnsupportedError);
    expect((refused as Error).message).toMatch(/migration\.stateful.*stateless snapshot/s);

    await incus.instances.patch(name, { config: { 'migration.stateful': 'true' } });
    try {
      const op = await incus.snapshots.create(name, { name: 'st', stateful: true });
      const err = await op.wait({ timeoutMs: 60_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IncusUnsupportedError);
      expect((err as Error).message).toMatch(/CRIU isn't installed.*stateless snapshot/s);
    } finally {
      await incus.instances.patch(name, { config: { 'migration.stateful': '' } });
    }
  });

  it('publishing a snapshot reports progress and image events', async () => {
    const alias = testName('snap-img');
    await (await incus.snapshots.create(name, { name: 'pub' })).wait();
    const progress: OperationProgress[] = [];
    // Other test files publish images at the same time: keep every image-created source.
    const createdSources: string[] = [];
    const unsubscribe = incus.events.subscribe((e: IncusEvent) => {
      if (isLifecycle(e, 'image-created')) createdSources.push(e.metadata.source);
    });
    const op = await incus.images.publish({
      source: { type: 'snapshot', name: `${name}/pub` },
      aliases: [{ name: alias, description: 'coi test publish' }],
      compression_algorithm: 'none',
    });
    op.onProgress((p) => progress.push(p));
    const { metadata } = await op.wait({ timeoutMs: 120_000 });
    const fingerprint = (metadata as { fingerprint: string }).fingerprint;
    try {
      expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
      // Lifecycle events may trail the operation's end by a moment.
      const ours = `/1.0/images/${fingerprint}`;
      for (let i = 0; i < 50 && !createdSources.includes(ours); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(createdSources).toContain(ours);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress[0]?.stage).toMatch(/^create_image_from_container_pack/);
    } finally {
      unsubscribe();
      await (await incus.images.delete(fingerprint)).wait();
      await (await incus.snapshots.delete(name, 'pub')).wait();
    }
  });
});
