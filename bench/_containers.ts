import type { IncusClient } from '../src/incus/client.js';
import { InstancesApi } from '../src/incus/instances.js';
import { baseImageAlias } from '../src/core/image/recipe.js';

/** A running container from the base image for a bench (named with the test prefix). */
export async function launchBenchContainer(client: IncusClient, name: string): Promise<void> {
  const op = await new InstancesApi(client).create({
    name,
    image: { alias: baseImageAlias() },
    start: true,
  });
  await op.wait({ timeoutMs: 120_000 });
}

export async function removeBenchContainer(client: IncusClient, name: string): Promise<void> {
  await (await new InstancesApi(client).delete(name, { force: true })).wait({ timeoutMs: 60_000 });
}
