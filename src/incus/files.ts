import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { IncusClient } from './client.js';
import { errorFromEnvelope, IncusError, IncusNotFoundError } from './errors.js';
import type { FileStat, FileType, PullOptions, PushOptions, WriteOptions } from './file-types.js';
import type { FilesService } from './interfaces.js';
import type { TransportResponse } from './transport.js';

type Headers = TransportResponse['headers'];

function header(headers: Headers, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function statFromHeaders(headers: Headers): FileStat {
  return {
    type: (header(headers, 'x-incus-type') || 'file') as FileType,
    uid: Number(header(headers, 'x-incus-uid') || 0),
    gid: Number(header(headers, 'x-incus-gid') || 0),
    mode: parseInt(header(headers, 'x-incus-mode') || '0', 8),
    modified: header(headers, 'x-incus-modified'),
  };
}

function ownerHeaders(opts: WriteOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (opts.uid !== undefined) headers['x-incus-uid'] = String(opts.uid);
  if (opts.gid !== undefined) headers['x-incus-gid'] = String(opts.gid);
  if (opts.mode !== undefined) headers['x-incus-mode'] = `0${(opts.mode & 0o7777).toString(8)}`;
  return headers;
}

function assertAbsolute(path: string): void {
  if (!path.startsWith('/')) {
    throw new IncusError(`container path "${path}" must be absolute (start with "/")`, 400);
  }
}

/** `/1.0/instances/<n>/files`: read, write, stat and delete single paths inside an instance. */
export class FilesApi implements FilesService {
  constructor(private readonly client: IncusClient) {}

  /** The type, owner and mode of a path (symlinks are not followed); undefined when missing. */
  async stat(instance: string, path: string): Promise<FileStat | undefined> {
    const res = await this.request('HEAD', instance, path);
    res.body.resume();
    if (res.status === 404) return undefined;
    if (res.status >= 400)
      throw new IncusError(`cannot stat ${path} in ${instance}: HTTP ${res.status}`, res.status);
    return statFromHeaders(res.headers);
  }

  /**
   * Opens a path for reading: a file's bytes, a symlink's target or a directory's JSON listing,
   * with its stat. Reading a fifo blocks and a device may never end: stat is no guard (see
   * file-types.ts), so bound reads of untrusted paths with `maxBytes` and a `signal`.
   */
  async open(
    instance: string,
    path: string,
    opts: PullOptions = {},
  ): Promise<{ stat: FileStat; body: Readable }> {
    const res = await this.request('GET', instance, path, { signal: opts.signal });
    if (res.status >= 400) throw await this.failure(res, `read ${path} in ${instance}`);
    return { stat: statFromHeaders(res.headers), body: res.body };
  }

  /** A regular file's content. */
  async pull(instance: string, path: string, opts: PullOptions = {}): Promise<Buffer> {
    const { stat, body } = await this.open(instance, path, opts);
    if (stat.type !== 'file') {
      discard(body);
      throw new IncusError(
        `cannot pull ${path} from ${instance}: it is a ${stat.type}, not a file`,
        400,
      );
    }
    return readAll(body, opts.maxBytes, `${instance}:${path}`);
  }

  /** The names in a directory (no types: stat each, or list trees with file-tree.ts). */
  async list(instance: string, path: string): Promise<string[]> {
    const { stat, body } = await this.open(instance, path);
    const text = (await readAll(body, undefined, path)).toString('utf8');
    if (stat.type !== 'directory') {
      throw new IncusError(`cannot list ${path} in ${instance}: it is a ${stat.type}`, 400);
    }
    return (JSON.parse(text) as { metadata: string[] }).metadata;
  }

  /** Writes a file (always as `application/octet-stream`: any other type makes Incus write it empty). */
  async push(
    instance: string,
    path: string,
    content: Buffer | string | Readable,
    opts: PushOptions = {},
  ): Promise<void> {
    if (opts.createParents)
      await this.mkdirp(instance, posix.dirname(path), { uid: opts.uid, gid: opts.gid });
    const headers: Record<string, string> = { ...ownerHeaders(opts), 'x-incus-type': 'file' };
    if (opts.append) headers['x-incus-write'] = 'append';
    await this.write(instance, path, headers, content, 'write');
  }

  /** Creates one directory level; its parent must exist. An existing directory is left as is. */
  async mkdir(instance: string, path: string, opts: WriteOptions = {}): Promise<void> {
    if (opts.createParents) {
      await this.mkdirp(instance, path, opts);
      return;
    }
    const headers = {
      ...ownerHeaders({ ...opts, mode: opts.mode ?? 0o755 }),
      'x-incus-type': 'directory',
    };
    await this.write(instance, path, headers, '', 'create directory');
  }

  /**
   * `mkdir -p`: creates each missing level top-down (Incus makes one level per request). A
   * non-directory in the way is an error (Incus itself would silently report success).
   */
  async mkdirp(
    instance: string,
    path: string,
    opts: Omit<WriteOptions, 'createParents'> = {},
  ): Promise<void> {
    assertAbsolute(path);
    const whole = await this.stat(instance, path).catch(() => undefined);
    if (whole?.type === 'directory') return;
    let current = '';
    for (const name of path.split('/').filter(Boolean)) {
      current += `/${name}`;
      const existing = await this.stat(instance, current);
      if (existing?.type === 'directory') continue;
      if (existing) {
        throw new IncusError(
          `cannot create directory ${path} in ${instance}: ${current} is a ${existing.type}`,
          409,
        );
      }
      await this.mkdir(instance, current, opts);
    }
  }

  /** Creates (or replaces) a symlink at `path` pointing to `target`. */
  async symlink(
    instance: string,
    path: string,
    target: string,
    opts: WriteOptions = {},
  ): Promise<void> {
    if (opts.createParents)
      await this.mkdirp(instance, posix.dirname(path), { uid: opts.uid, gid: opts.gid });
    const headers = {
      ...ownerHeaders({ uid: opts.uid, gid: opts.gid }),
      'x-incus-type': 'symlink',
    };
    await this.write(instance, path, headers, target, 'create symlink');
  }

  /** Deletes a file, symlink or empty directory. */
  async remove(instance: string, path: string): Promise<void> {
    const res = await this.request('DELETE', instance, path);
    if (res.status >= 400) throw await this.failure(res, `delete ${path} in ${instance}`);
    res.body.resume();
  }

  private async write(
    instance: string,
    path: string,
    headers: Record<string, string>,
    body: Buffer | string | Readable,
    what: string,
  ): Promise<void> {
    const res = await this.request('POST', instance, path, {
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body,
    });
    if (res.status >= 400) throw await this.failure(res, `${what} ${path} in ${instance}`);
    res.body.resume();
  }

  private request(
    method: string,
    instance: string,
    path: string,
    opts: {
      headers?: Record<string, string>;
      body?: Buffer | string | Readable;
      signal?: AbortSignal;
    } = {},
  ): Promise<TransportResponse> {
    assertAbsolute(path);
    return this.client.raw(method, `/1.0/instances/${encodeURIComponent(instance)}/files`, {
      ...opts,
      query: { path },
    });
  }

  private async failure(res: TransportResponse, action: string): Promise<IncusError> {
    const text = await res.body.text().catch(() => '');
    let message = `HTTP ${res.status}`;
    try {
      message = (JSON.parse(text) as { error?: string }).error || message;
    } catch {
      if (text) message = text.slice(0, 200);
    }
    const err = errorFromEnvelope(`cannot ${action}: ${message}`, res.status);
    if (err instanceof IncusNotFoundError && action.startsWith('write')) {
      return new IncusNotFoundError(
        `${err.message} (does the parent directory exist? use createParents)`,
        404,
      );
    }
    return err;
  }
}

/** Reads a body to the end, failing once it grows past `maxBytes`. */
async function readAll(
  body: Readable,
  maxBytes: number | undefined,
  what: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (maxBytes !== undefined && size > maxBytes) {
      discard(body);
      throw new IncusError(
        `${what} is larger than the ${maxBytes} bytes expected; refusing to read on`,
        413,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Drops a response body we will not read (undici reports the abort as an error event). */
export function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}
