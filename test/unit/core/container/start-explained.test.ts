import { describe, expect, it, vi } from 'vitest';
import { startExplained } from '../../../../src/core/container/start-explained.js';
import { IncusOperationError } from '../../../../src/incus/errors.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

const LXC_LOG = [
  'lxc c1 20260101120000.100 WARN     cgfsng - cgroups/cgfsng.c:fchowmodat:1611 - No such file',
  'lxc c1 20260101120000.200 ERROR    utils - utils.c:safe_mount:1330 - No such file or directory - Failed to mount "/missing" onto "/mnt"',
  'lxc c1 20260101120000.300 ERROR    start - start.c:__lxc_start:2107 - Failed to spawn container "c1"',
].join('\n');

describe('startExplained', () => {
  it("adds the error lines of lxc.log to a failed start's error", async () => {
    const incus = new FakeIncus();
    await (await incus.instances.create({ name: 'c1', image: { alias: 'b' }, start: true })).wait();
    vi.spyOn(incus.instances, 'lxcLog').mockResolvedValue(LXC_LOG);
    // Starting a running container fails, like a start that lxc aborts.
    const err = await startExplained(incus, 'c1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncusOperationError);
    expect((err as Error).message).toBe(
      'The instance is already running\nlxc.log:\n' +
        '  No such file or directory - Failed to mount "/missing" onto "/mnt"\n' +
        '  Failed to spawn container "c1"',
    );
  });

  it('starts a stopped container', async () => {
    const incus = new FakeIncus();
    await (await incus.instances.create({ name: 'c1', image: { alias: 'b' } })).wait();
    await startExplained(incus, 'c1');
    expect(incus.instances.all.get('c1')?.status).toBe('Running');
  });
});
