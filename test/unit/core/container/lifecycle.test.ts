import { describe, expect, it } from 'vitest';
import { startContainer } from '../../../../src/core/container/lifecycle.js';
import { FakeContainers } from '../../../helpers/fake-containers.js';

describe('startContainer', () => {
  it('resumes a frozen container like `coi unfreeze`, threat marker cleared', async () => {
    const incus = new FakeContainers([
      { name: 'box', status: 'Frozen', config: { 'user.coi.frozen_by': 'threat' } },
    ]);
    await startContainer(incus, 'box');
    expect(incus.container('box').status).toBe('Running');
    expect(incus.container('box').config).toEqual({});
    expect(incus.calls).not.toContain('instances.startExplained box');
  });

  it('starts a stopped one and leaves a running one alone', async () => {
    const incus = new FakeContainers([{ name: 'off', status: 'Stopped' }, { name: 'on' }]);
    await startContainer(incus, 'off');
    await startContainer(incus, 'on');
    expect(incus.container('off').status).toBe('Running');
    expect(incus.calls.filter((c) => !c.startsWith('instances.get'))).toEqual([
      'instances.startExplained off',
    ]);
  });

  it('says when the container does not exist', async () => {
    await expect(startContainer(new FakeContainers([]), 'gone')).rejects.toThrow(
      'container "gone" does not exist',
    );
  });
});
