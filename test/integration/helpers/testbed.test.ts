import { afterAll, describe, expect, it } from 'vitest';
import { Incus } from '../../../src/incus/index.js';
import { BASE_IMAGE, deleteTestContainer, launchTestContainer } from '../../helpers/testbed.js';

const incus = Incus.local();
afterAll(() => incus.close());

describe('test bed', () => {
  it('launches a container from the base image, runs a command, reads output and exit code, deletes it', async () => {
    const name = await launchTestContainer('testbed');
    const result = await incus.exec.run(name, [
      'sh',
      '-c',
      'cat /etc/debian_version; tmux -V; exit 3',
    ]);
    expect(result.exitCode).toBe(3);
    expect(result.stdout.toString()).toMatch(/^12\.\d+\ntmux \d/);
    const info = await incus.instances.getFull(name);
    expect(info.config['volatile.base_image']).toBe(
      (await incus.images.findByAlias(BASE_IMAGE))?.fingerprint,
    );
    await deleteTestContainer(name);
    expect(await incus.instances.exists(name)).toBe(false);
  });
});
