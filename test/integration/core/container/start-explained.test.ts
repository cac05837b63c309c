import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forceDelete } from '../../../../src/core/container/force-delete.js';
import { startExplained } from '../../../../src/core/container/start-explained.js';
import { IncusOperationError } from '../../../../src/incus/errors.js';
import { Incus } from '../../../../src/incus/index.js';
import { deleteTestContainer, launchTestContainer } from '../../../helpers/testbed.js';

const incus = Incus.local();

beforeAll(async () => {
  await incus.connect();
});

afterAll(async () => {
  await incus.close();
});

describe('startExplained', () => {
  it('explains a failed start with the error lines of lxc.log', async () => {
    // A bind mount of a missing host path makes lxc abort the start.
    const name = await launchTestContainer('inst-badstart', {
      start: false,
      config: { 'raw.lxc': 'lxc.mount.entry = /nonexistent-coi-test-src mnt none bind 0 0' },
    });
    try {
      const err = await startExplained(incus, name).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IncusOperationError);
      expect((err as Error).message).toMatch(/forkstart/);
      expect((err as Error).message).toMatch(
        /lxc\.log:\n {2}.*Failed to mount "\/nonexistent-coi-test-src"/,
      );
    } finally {
      // Also covers the daemon calling the instance "running" for a moment after a failed start.
      await (await forceDelete(incus, name)).wait();
      await deleteTestContainer(name);
    }
  });
});
