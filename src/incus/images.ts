import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { IncusClient } from './client.js';
import { unlessNotFound } from './errors.js';
import type { ImagesService } from './interfaces.js';
import type { Operation } from './operation.js';
import type { Image, ImageAliasEntry, ImageImportResult, PublishRequest } from './image-types.js';

export interface SplitImportOptions {
  aliases?: string[];
  properties?: Record<string, string>;
  /** Called with bytes sent so far and the total, for progress bars. */
  onUpload?: (sent: number, total: number) => void;
}

/** `/1.0/images`: list, aliases, import, publish, delete. */
export class ImagesApi implements ImagesService {
  constructor(private readonly client: IncusClient) {}

  list(): Promise<Image[]> {
    return this.client.get<Image[]>('/1.0/images', { recursion: 1 });
  }

  get(fingerprint: string): Promise<Image> {
    return this.client.get<Image>(`/1.0/images/${encodeURIComponent(fingerprint)}`);
  }

  aliases(): Promise<ImageAliasEntry[]> {
    return this.client.get<ImageAliasEntry[]>('/1.0/images/aliases', { recursion: 1 });
  }

  getAlias(name: string): Promise<ImageAliasEntry> {
    return this.client.get<ImageAliasEntry>(`/1.0/images/aliases/${encodeURIComponent(name)}`);
  }

  /** The image an alias points to, or undefined when there is no such alias. */
  findByAlias(name: string): Promise<Image | undefined> {
    return unlessNotFound(this.getAlias(name).then((alias) => this.get(alias.target)));
  }

  async exists(nameOrFingerprint: string): Promise<boolean> {
    if (await this.findByAlias(nameOrFingerprint)) return true;
    return (await unlessNotFound(this.get(nameOrFingerprint))) !== undefined;
  }

  async createAlias(name: string, target: string, description = ''): Promise<void> {
    await this.client.sync('POST', '/1.0/images/aliases', { body: { name, target, description } });
  }

  async deleteAlias(name: string): Promise<void> {
    await this.client.sync('DELETE', `/1.0/images/aliases/${encodeURIComponent(name)}`);
  }

  /**
   * Imports a split image (metadata tarball + rootfs tarball) as one streamed multipart upload;
   * nothing is held in memory. The parts must come in this order: metadata, then rootfs.
   */
  async importSplit(
    metadataPath: string,
    rootfsPath: string,
    opts: SplitImportOptions = {},
  ): Promise<Operation<ImageImportResult>> {
    const boundary = `coi-${randomBytes(12).toString('hex')}`;
    const head = (name: string) =>
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      );
    const parts: (Buffer | string)[] = [
      head('metadata'),
      metadataPath,
      Buffer.from('\r\n'),
      head('rootfs'),
      rootfsPath,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ];
    const sizes = await Promise.all(
      parts.map(async (p) => (typeof p === 'string' ? (await stat(p)).size : p.length)),
    );
    const total = sizes.reduce((a, b) => a + b, 0);
    const body = Readable.from(multipartChunks(parts, total, opts.onUpload));
    const headers: Record<string, string> = {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(total),
    };
    if (opts.aliases?.length) {
      headers['x-incus-aliases'] = opts.aliases
        .map((a) => `alias=${encodeURIComponent(a)}`)
        .join('&');
    }
    if (opts.properties) {
      headers['x-incus-properties'] = new URLSearchParams(opts.properties).toString();
    }
    return this.client.operation<ImageImportResult>('POST', '/1.0/images', { body, headers });
  }

  /** Publishes a stopped instance or a snapshot as an image. */
  publish(request: PublishRequest): Promise<Operation<ImageImportResult>> {
    return this.client.operation<ImageImportResult>('POST', '/1.0/images', { body: request });
  }

  /** Deletes an image; its aliases go with it. */
  delete(fingerprint: string): Promise<Operation> {
    return this.client.operation('DELETE', `/1.0/images/${encodeURIComponent(fingerprint)}`);
  }
}

async function* multipartChunks(
  parts: (Buffer | string)[],
  total: number,
  onUpload?: (sent: number, total: number) => void,
): AsyncGenerator<Buffer> {
  let sent = 0;
  for (const part of parts) {
    const source: AsyncIterable<Buffer> | Buffer[] =
      typeof part === 'string' ? createReadStream(part, { highWaterMark: 1 << 20 }) : [part];
    for await (const chunk of source) {
      sent += chunk.length;
      onUpload?.(sent, total);
      yield chunk;
    }
  }
}
