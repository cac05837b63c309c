import { describe, expect, it, vi } from 'vitest';
import { resumeContainer } from '../../../../src/core/container/resume.js';
import { IncusError, IncusNotFoundError } from '../../../../src/incus/errors.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

describe('resumeContainer', () => {
  it('unfreezes and clears the threat marker, leaving the other keys', async () => {
    const incus = new FakeIncus([
      {
        name: 'box',
        status: 'Frozen',
        config: { 'user.coi.frozen_by': 'threat', 'user.coi.workspace': '/ws' },
      },
    ]);
    await resumeContainer(incus, 'box');
    expect(incus.instances.all.get('box')?.status).toBe('Running');
    expect(incus.instances.all.get('box')?.config).toEqual({ 'user.coi.workspace': '/ws' });
    expect(incus.calls).toEqual(['instances.unfreeze box', 'instances.patch box']);
  });

  /** Unfreezes fine, then the marker's PATCH fails with `error`. */
  const patchFails = (error: Error) => {
    const incus = new FakeIncus([{ name: 'box', status: 'Frozen' }]);
    vi.spyOn(incus.instances, 'patch').mockRejectedValue(error);
    return incus;
  };

  it('is done when the container is gone before its marker is cleared', async () => {
    await expect(
      resumeContainer(patchFails(new IncusNotFoundError('Instance not found', 404)), 'box'),
    ).resolves.toBeUndefined();
  });

  it('reports any other failure to clear the marker', async () => {
    await expect(
      resumeContainer(patchFails(new IncusError('Config key is read-only', 400)), 'box'),
    ).rejects.toThrow('Config key is read-only');
  });
});
