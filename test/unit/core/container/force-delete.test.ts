import { beforeEach, describe, expect, it, vi } from 'vitest';
import { forceDelete } from '../../../../src/core/container/force-delete.js';
import {
  IncusInstanceRunningError,
  isLifecycle,
  type IncusEvent,
} from '../../../../src/incus/index.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

let incus: FakeIncus;
let actions: string[];

beforeEach(async () => {
  incus = new FakeIncus();
  await (
    await incus.instances.create({ name: 'c1', image: { alias: 'base' }, start: true })
  ).wait();
  actions = [];
  incus.events.subscribe((e: IncusEvent) => {
    if (isLifecycle(e)) actions.push(e.metadata.action);
  });
});

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('forceDelete', () => {
  it('unfreezes and force-stops a frozen container before deleting it', async () => {
    await (await incus.instances.freeze('c1')).wait();
    await settled();
    actions = [];
    await (await forceDelete(incus, 'c1')).wait();
    await settled();
    expect(incus.instances.all.has('c1')).toBe(false);
    expect(actions).toEqual(['instance-resumed', 'instance-stopped', 'instance-deleted']);
  });

  it('deletes a stopped container without stopping it again', async () => {
    await (await incus.instances.stop('c1')).wait();
    await settled();
    actions = [];
    await (await forceDelete(incus, 'c1')).wait();
    await settled();
    expect(actions).toEqual(['instance-deleted']);
  });

  it('retries the delete while the daemon still calls the instance running', async () => {
    const del = vi
      .spyOn(incus.instances, 'delete')
      .mockRejectedValueOnce(new IncusInstanceRunningError('Instance is running', 400));
    await (await forceDelete(incus, 'c1')).wait();
    expect(del).toHaveBeenCalledTimes(2);
    expect(incus.instances.all.has('c1')).toBe(false);
  });
});
