import { IncusUnavailableError } from '../../incus/errors.js';
import { incusConfigDir, readRemotes, remoteClient } from '../../incus/remotes.js';
import type { Server } from '../../incus/server.js';
import { CoiError } from '../../shared/errors.js';

/** How long `coi remote list` waits for each remote's `GET /1.0`. */
export const REACH_TIMEOUT_MS = 3_000;

/** What probing a remote found; image servers (simplestreams) are not probed. */
export type RemoteReach =
  | { reachable: true; auth: Server['auth']; serverVersion?: string }
  | { reachable: false; reason: string };

export interface RemoteStatus {
  name: string;
  url: string;
  protocol: string;
  isDefault: boolean;
  reach?: RemoteReach;
}

function reasonOf(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs / 1000} s`;
  if (err instanceof IncusUnavailableError) return err.reason;
  return err instanceof Error ? err.message : String(err);
}

/** `GET /1.0` of remote `name`, as the incus CLI would reach it, within `timeoutMs`. */
export async function probeRemote(
  name: string,
  configDir: string,
  timeoutMs: number,
): Promise<RemoteReach> {
  const signal = AbortSignal.timeout(timeoutMs);
  let client: Awaited<ReturnType<typeof remoteClient>> | undefined;
  try {
    client = await remoteClient(name, { configDir });
    const { metadata } = await client.sync<Server>('GET', '/1.0', { signal });
    return {
      reachable: true,
      auth: metadata.auth,
      serverVersion: metadata.environment?.server_version,
    };
  } catch (err) {
    return { reachable: false, reason: reasonOf(err, signal.aborted, timeoutMs) };
  } finally {
    await client?.close();
  }
}

/** The remotes of the incus CLI's config, each probed (all at once) unless it is an image server. */
export async function remoteStatuses(
  opts: { configDir?: string; timeoutMs?: number } = {},
): Promise<RemoteStatus[]> {
  const { configDir = incusConfigDir(), timeoutMs = REACH_TIMEOUT_MS } = opts;
  const config = await readRemotes(configDir).catch((err: Error) => {
    throw new CoiError(
      `cannot read the Incus client configuration: ${err.message} (fix the file, or set INCUS_CONF to another directory)`,
      'config',
    );
  });
  return Promise.all(
    Object.entries(config.remotes).map(async ([name, remote]) => ({
      name,
      url: remote.addr,
      protocol: remote.protocol,
      isDefault: name === config.defaultRemote,
      reach:
        remote.protocol === 'incus' ? await probeRemote(name, configDir, timeoutMs) : undefined,
    })),
  );
}
