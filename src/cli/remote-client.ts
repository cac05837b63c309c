import type { IncusClient } from '../incus/client.js';
import { IncusUnknownRemoteError } from '../incus/errors.js';
import { remoteClient } from '../incus/remotes.js';
import { CoiError } from '../shared/errors.js';
import { usageError } from './errors.js';

/**
 * A client of remote `name` of the incus client config, in coi's project. A name it does not know
 * is the user's to fix: a usage error for `--remote`, a config error for `[incus] remote`.
 */
export async function remoteClientFor(
  name: string,
  project: string,
  opts: { fromFlag: boolean },
): Promise<IncusClient> {
  try {
    return await remoteClient(name, { project });
  } catch (err) {
    if (!(err instanceof IncusUnknownRemoteError)) throw err;
    const known = err.known.join(', ');
    throw opts.fromFlag
      ? usageError(
          `--remote ${name}: no such remote in the incus client config (known: ${known}); add it with \`incus remote add ${name} https://HOST:8443\``,
        )
      : new CoiError(
          `[incus] remote = "${name}": no such remote in the incus client config (known: ${known}); add it with \`incus remote add ${name} https://HOST:8443\`, or set it to "" for this host`,
          'config',
        );
  }
}
