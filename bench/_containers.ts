import type { IncusClient } from '../src/incus/client.js';
import { InstancesApi } from '../src/incus/instances.js';
import { forceDelete } from '../src/core/container/force-delete.js';
import { baseImageAlias } from '../src/core/image/recipe.js';

/**
 * A container for a bench (named with the test prefix), from the base image unless `image` names
 * another alias, running by default.
 */
export async function launchBenchContainer(
  client: IncusClient,
  name: string,
  opts: { start?: boolean; config?: Record<string, string>; image?: string } = {},
): Promise<void> {
  const op = await new InstancesApi(client).create({
    name,
    image: { alias: opts.image ?? baseImageAlias() },
    config: opts.config ?? {},
    start: opts.start ?? true,
  });
  await op.wait({ timeoutMs: 120_000 });
}

export async function removeBenchContainer(client: IncusClient, name: string): Promise<void> {
  const instances = new InstancesApi(client);
  await (await forceDelete({ instances }, name)).wait({ timeoutMs: 60_000 });
}
