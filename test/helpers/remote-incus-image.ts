import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncusClient } from '../../src/incus/client.js';
import { unlessNotFound } from '../../src/incus/errors.js';
import { ImagesApi } from '../../src/incus/images.js';
import { run } from '../../src/shared/run.js';

/**
 * Copies the local daemon's image `alias` to another daemon once: the same tarballs give the same
 * fingerprint, so a daemon holding it already is left alone (only the alias is put back if gone).
 */
export async function copyImageOnce(
  local: IncusClient,
  target: IncusClient,
  alias: string,
): Promise<string> {
  const image = await new ImagesApi(local).findByAlias(alias);
  if (!image) throw new Error(`no image "${alias}" on the local daemon to copy to the remote bed`);
  const images = new ImagesApi(target);
  if (await unlessNotFound(images.get(image.fingerprint))) {
    if (!(await images.findByAlias(alias))) await images.createAlias(alias, image.fingerprint);
    return image.fingerprint;
  }
  const dir = await mkdtemp(join(tmpdir(), 'coi-image-copy-'));
  try {
    // The CLI writes a split image as its two tarballs (`meta-<fp>.tar`, `<fp>.tar`); an empty
    // INCUS_CONF keeps whatever remotes the caller's HOME configures out of it.
    await run('incus', ['image', 'export', `local:${image.fingerprint}`, `${dir}/`], {
      env: { ...process.env, INCUS_CONF: dir },
    });
    const files = await readdir(dir);
    const meta = files.find((f) => f.startsWith('meta-'));
    const rootfs = files.find((f) => f.startsWith(image.fingerprint));
    if (!meta || !rootfs) throw new Error(`unexpected export of "${alias}": ${files.join(', ')}`);
    const op = await images.importSplit(join(dir, meta), join(dir, rootfs), { aliases: [alias] });
    await op.wait({ timeoutMs: 600_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return image.fingerprint;
}
