import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forceDelete } from '../../../../src/core/container/force-delete.js';
import { Incus } from '../../../../src/incus/index.js';
import { deleteTestContainer, launchTestContainer } from '../../../helpers/testbed.js';

const incus = Incus.local();

beforeAll(async () => {
  await incus.connect();
});

afterAll(async () => {
  await incus.close();
});

describe('forceDelete', () => {
  it('deletes a running and a frozen container', async () => {
    const running = await launchTestContainer('fdel-run');
    const frozen = await launchTestContainer('fdel-frozen');
    try {
      await (await incus.instances.freeze(frozen)).wait();
      expect((await incus.instances.get(frozen)).value.status).toBe('Frozen');
      for (const name of [running, frozen]) {
        await (await forceDelete(incus, name)).wait({ timeoutMs: 60_000 });
        expect(await incus.instances.exists(name)).toBe(false);
      }
    } finally {
      await deleteTestContainer(running);
      await deleteTestContainer(frozen);
    }
  });
});
