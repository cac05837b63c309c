import { describe, expect, it } from 'vitest';
import { mountDisk, startContainer } from '../../../../src/core/container/lifecycle.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

describe('startContainer', () => {
  it('resumes a frozen container like `coi unfreeze`, threat marker cleared', async () => {
    const incus = new FakeIncus([
      { name: 'box', status: 'Frozen', config: { 'user.coi.frozen_by': 'threat' } },
    ]);
    await startContainer(incus, 'box');
    expect(incus.instances.all.get('box')?.status).toBe('Running');
    expect(incus.instances.all.get('box')?.config).toEqual({});
    expect(incus.calls).not.toContain('instances.start box');
  });

  it('starts a stopped one and leaves a running one alone', async () => {
    const incus = new FakeIncus([{ name: 'off', status: 'Stopped' }, { name: 'on' }]);
    await startContainer(incus, 'off');
    await startContainer(incus, 'on');
    expect(incus.instances.all.get('off')?.status).toBe('Running');
    expect(incus.calls.filter((c) => !c.startsWith('instances.get'))).toEqual([
      'instances.start off',
    ]);
  });

  it('says when the container does not exist', async () => {
    await expect(startContainer(new FakeIncus(), 'gone')).rejects.toThrow(
      'container "gone" does not exist',
    );
  });
});

describe('mountDisk', () => {
  it('adds a disk device, read-only when asked, idmapped unless told not to', async () => {
    const incus = new FakeIncus([{ name: 'box' }]);
    await mountDisk(incus, 'box', 'data', '/srv/data', '/mnt/data', {
      shift: true,
      readonly: true,
    });
    await mountDisk(incus, 'box', 'rw', '/srv/rw', '/mnt/rw', { shift: false });
    expect(incus.instances.all.get('box')?.devices).toEqual({
      data: {
        type: 'disk',
        source: '/srv/data',
        path: '/mnt/data',
        shift: 'true',
        readonly: 'true',
      },
      rw: { type: 'disk', source: '/srv/rw', path: '/mnt/rw' },
    });
  });

  it('refuses a relative path inside the container', async () => {
    await expect(
      mountDisk(new FakeIncus([{ name: 'box' }]), 'box', 'd', '/srv', 'mnt', { shift: true }),
    ).rejects.toThrow('mount path "mnt" must be absolute');
  });
});
