import { describe, expect, it } from 'vitest';
import { startContainer } from '../../../../src/core/container/lifecycle.js';
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
