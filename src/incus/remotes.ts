import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { IncusClient, type IncusClientOptions } from './client.js';
import { IncusError, IncusUnknownRemoteError } from './errors.js';
import {
  parseYamlSubset,
  remotesFromConfig,
  type RemoteEntry,
  type RemotesConfig,
} from './remote-config.js';
import { resolveSocketPath } from './socket.js';
import { TlsTransport, UnixTransport, type TlsCredentials } from './transport.js';

/** The incus CLI's config directory: `$INCUS_CONF`, else `$XDG_CONFIG_HOME/incus`, else `~/.config/incus`. */
export function incusConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.INCUS_CONF) return env.INCUS_CONF;
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'incus');
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The CLI's remotes (`config.yml`); only the implicit `local` one when there is no file. */
export async function readRemotes(configDir = incusConfigDir()): Promise<RemotesConfig> {
  const path = join(configDir, 'config.yml');
  const text = await readOptional(path);
  return remotesFromConfig(text === undefined ? {} : parseYamlSubset(text, path));
}

/** The client certificate the CLI uses for every remote, and the pinned certificate of `remote`. */
export async function remoteCredentials(
  remote: string,
  configDir = incusConfigDir(),
): Promise<TlsCredentials> {
  const files = {
    cert: join(configDir, 'client.crt'),
    key: join(configDir, 'client.key'),
    serverCert: join(configDir, 'servercerts', `${remote}.crt`),
  };
  const [cert, key, serverCert] = await Promise.all([
    readOptional(files.cert),
    readOptional(files.key),
    readOptional(files.serverCert),
  ]);
  if (!cert || !key) {
    throw new IncusError(
      `no client certificate in ${configDir} (client.crt and client.key): run \`incus remote add ${remote} <url>\` once, or copy them there`,
      0,
    );
  }
  if (!serverCert) {
    throw new IncusError(
      `no pinned server certificate for remote "${remote}" (${files.serverCert}): re-add the remote with \`incus remote add\` so its certificate is stored`,
      0,
    );
  }
  return {
    cert,
    key,
    serverCert,
    files: { remote, serverCert: files.serverCert, clientCert: files.cert },
  };
}

export interface RemoteClientOptions extends IncusClientOptions {
  /** Defaults to `incusConfigDir()`. */
  configDir?: string;
}

/** A client of remote `name` (default: the CLI's default remote) as the incus CLI would reach it. */
export async function remoteClient(
  name?: string,
  opts: RemoteClientOptions = {},
): Promise<IncusClient> {
  const { configDir = incusConfigDir(), ...clientOptions } = opts;
  const config = await readRemotes(configDir);
  const remoteName = name ?? config.defaultRemote;
  const remote: RemoteEntry | undefined = config.remotes[remoteName];
  if (!remote) throw new IncusUnknownRemoteError(remoteName, Object.keys(config.remotes));
  if (remote.protocol !== 'incus') {
    throw new IncusError(
      `remote "${remoteName}" is an image server (${remote.protocol}), not an Incus daemon`,
      0,
    );
  }
  const options: IncusClientOptions = { project: remote.project, ...clientOptions };
  if (remote.addr.startsWith('unix://')) {
    const socket = remote.addr.slice('unix://'.length);
    return new IncusClient(new UnixTransport(socket || resolveSocketPath()), options);
  }
  if (!remote.addr.startsWith('https://')) {
    throw new IncusError(
      `remote "${remoteName}" has an unsupported address "${remote.addr}" (expected https:// or unix://)`,
      0,
    );
  }
  if (remote.authType && remote.authType !== 'tls') {
    throw new IncusError(
      `remote "${remoteName}" uses ${remote.authType} authentication; only TLS client certificates are supported`,
      0,
    );
  }
  return new IncusClient(
    new TlsTransport(remote.addr, await remoteCredentials(remoteName, configDir)),
    options,
  );
}
