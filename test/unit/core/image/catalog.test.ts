import { describe, expect, it } from 'vitest';
import { ImageOpError, publishContainer } from '../../../../src/core/image/catalog.js';
import { IncusNotFoundError, IncusUnavailableError } from '../../../../src/incus/errors.js';
import type { Incus } from '../../../../src/incus/index.js';

const incusWhoseGetFails = (err: Error) =>
  ({ instances: { get: () => Promise.reject(err) } }) as unknown as Incus;

describe('publishContainer', () => {
  it('says the container does not exist only when Incus says so', async () => {
    await expect(
      publishContainer(incusWhoseGetFails(new IncusNotFoundError('not found', 404)), 'box', 'img'),
    ).rejects.toThrow(new ImageOpError('container "box" does not exist'));
    const down = new IncusUnavailableError('/var/lib/incus/unix.socket', 'ECONNREFUSED');
    await expect(publishContainer(incusWhoseGetFails(down), 'box', 'img')).rejects.toBe(down);
  });
});
