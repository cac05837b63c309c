import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopWithGrace } from '../../../../src/core/container/stop-with-grace.js';
import { Incus } from '../../../../src/incus/index.js';
import { deleteTestContainer, launchTestContainer, stallInit } from '../../../helpers/testbed.js';

const incus = Incus.local();

beforeAll(async () => {
  await incus.connect();
});

afterAll(async () => {
  await incus.close();
});

const status = async (name: string) => (await incus.instances.get(name)).value.status;

describe('stopWithGrace', () => {
  it('forces a container whose init does not act on the shutdown signal', async () => {
    const name = await launchTestContainer('grace-stall');
    const resume = await stallInit(name);
    try {
      await stopWithGrace(incus, name, 1);
      expect(await status(name)).toBe('Stopped');
    } finally {
      resume();
      await deleteTestContainer(name);
    }
  });

  it('stops a running container cleanly, and a stopped or missing one is no error', async () => {
    const name = await launchTestContainer('grace-clean');
    try {
      await stopWithGrace(incus, name, 30);
      expect(await status(name)).toBe('Stopped');
      await stopWithGrace(incus, name, 30);
      await deleteTestContainer(name);
      await stopWithGrace(incus, name, 30);
    } finally {
      await deleteTestContainer(name);
    }
  });
});
