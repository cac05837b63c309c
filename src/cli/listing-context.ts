import type { InstancesApi } from '../incus/instances.js';
import { containerPrefix } from '../shared/naming.js';
import { coiDir, workspacePath } from './context.js';

/** What a read-only listing needs: the instances of the configured project, prefix, ~/.coi. */
export interface ListingContext {
  incus: { instances: InstancesApi };
  prefix: string;
  coiDir: string;
}

export interface ListingOptions {
  /** `--remote NAME`: wins over `[incus] remote`. */
  remote?: string;
}

/**
 * withContext for `coi list`, which must start in a blink: of the config only `[incus] project`
 * and `remote` (no validation of the rest, so no zod), and a node:http client of the socket (no
 * undici) unless a remote is named.
 */
export async function withListingContext<T>(
  body: (ctx: ListingContext) => Promise<T>,
  options: ListingOptions = {},
): Promise<T> {
  const [{ incusListingKeys }, { IncusClient }, { InstancesApi }, { LightUnixTransport }, socket] =
    await Promise.all([
      import('../core/config/incus-project.js'),
      import('../incus/client.js'),
      import('../incus/instances.js'),
      import('../incus/light-transport.js'),
      import('../incus/socket.js'),
    ]);
  const { project, remote: configured } = await incusListingKeys({ cwd: workspacePath(undefined) });
  const remote = options.remote ?? configured;
  const client = remote
    ? await (
        await import('./remote-client.js')
      ).remoteClientFor(remote, project, { fromFlag: options.remote !== undefined })
    : new IncusClient(new LightUnixTransport(socket.resolveSocketPath()), { project });
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
