import { describe, expect, it } from 'vitest';
import { buildCustomImage, CustomBuildError } from '../../../../src/core/image/build-custom.js';
import { IncusUnavailableError } from '../../../../src/incus/errors.js';
import type { Incus } from '../../../../src/incus/index.js';
import { silentProgress } from '../../../helpers/progress.js';

const build = (list: () => Promise<unknown[]>) =>
  buildCustomImage({
    incus: { images: { findByAlias: async () => undefined, list } } as unknown as Incus,
    progress: silentProgress,
    logPath: '/nonexistent/never-opened.log',
    alias: 'mine',
    base: 'no-such-base',
    commands: ['true'],
    prefix: 'coi-test-',
  });

describe('buildCustomImage', () => {
  it('says the base image is missing only when it is', async () => {
    await expect(build(async () => [])).rejects.toThrow(
      new CustomBuildError(
        'base image "no-such-base" does not exist on this host (`coi build` makes coi-default)',
      ),
    );
    const down = new IncusUnavailableError('/var/lib/incus/unix.socket', 'ECONNREFUSED');
    await expect(build(() => Promise.reject(down))).rejects.toBe(down);
  });
});
