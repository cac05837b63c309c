import type { InstancesApi } from '../incus/instances.js';
import { containerPrefix } from '../shared/naming.js';
import { coiDir, workspacePath } from './context.js';

/** What a read-only listing needs: the instances of the configured project, prefix, ~/.coi. */
export interface ListingContext {
  incus: { instances: InstancesApi };
  prefix: string;
  coiDir: string;
}

/**
 * withContext for `coi list`, which must start in a blink: of the config only `[incus] project`
 * (no validation of the rest, so no zod), and a node:http client of the socket (no undici).
 */
export async function withListingContext<T>(body: (ctx: ListingContext) => Promise<T>): Promise<T> {
  const [{ incusProject }, { IncusClient }, { InstancesApi }, { LightUnixTransport }, socket] =
    await Promise.all([
      import('../core/config/incus-project.js'),
      import('../incus/client.js'),
      import('../incus/instances.js'),
      import('../incus/light-transport.js'),
      import('../incus/socket.js'),
    ]);
  const project = await incusProject({ cwd: workspacePath(undefined) });
  const transport = new LightUnixTransport(socket.resolveSocketPath());
  const client = new IncusClient(transport, { project });
  try {
    return await body({
      incus: { instances: new InstancesApi(client) },
      prefix: containerPrefix(),
      coiDir: coiDir(),
    });
  } finally {
    await client.close();
  }
}
