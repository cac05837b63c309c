/**
 * Reads the server name (SNI) from the first bytes of a TLS connection without terminating TLS:
 * the ClientHello is sent in the clear. It may span several handshake records, which are joined.
 */

export type HelloScan =
  | { state: 'incomplete' }
  | { state: 'tls'; serverName: string | undefined }
  | { state: 'invalid'; reason: string };

const HANDSHAKE = 0x16;
const CLIENT_HELLO = 0x01;
const SERVER_NAME_EXTENSION = 0x0000;
const HOST_NAME = 0x00;
/** A ClientHello larger than this is not worth buffering (real ones stay below a few KiB). */
export const MAX_HELLO_BYTES = 64 * 1024;

/** Whether the bytes start like a TLS handshake record. */
export function looksLikeTls(head: Buffer): boolean {
  return head.length > 0 && head[0] === HANDSHAKE;
}

export function scanClientHello(data: Buffer): HelloScan {
  const handshake = joinHandshakeRecords(data);
  if ('reason' in handshake) return { state: 'invalid', reason: handshake.reason };
  const body = handshake.bytes;
  if (body.length < 4) return { state: 'incomplete' };
  if (body[0] !== CLIENT_HELLO) return { state: 'invalid', reason: 'not a ClientHello' };
  const length = body.readUIntBE(1, 3);
  if (length > MAX_HELLO_BYTES) return { state: 'invalid', reason: 'ClientHello too large' };
  if (body.length < 4 + length) return handshake.complete ? invalid('truncated') : incomplete();
  try {
    return { state: 'tls', serverName: serverName(body.subarray(4, 4 + length)) };
  } catch (err) {
    return invalid((err as Error).message);
  }
}

function incomplete(): HelloScan {
  return { state: 'incomplete' };
}

function invalid(reason: string): HelloScan {
  return { state: 'invalid', reason: `malformed ClientHello: ${reason}` };
}

/** The handshake bytes carried by the leading run of complete handshake records. */
function joinHandshakeRecords(
  data: Buffer,
): { bytes: Buffer; complete: boolean } | { reason: string } {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 5 <= data.length) {
    if (data[at] !== HANDSHAKE) {
      if (parts.length === 0) return { reason: 'not a TLS handshake' };
      return { bytes: Buffer.concat(parts), complete: true };
    }
    const length = data.readUInt16BE(at + 3);
    if (at + 5 + length > data.length) break;
    parts.push(data.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  if (data.length > MAX_HELLO_BYTES + 5) return { reason: 'ClientHello too large' };
  return { bytes: Buffer.concat(parts), complete: false };
}

/** The host_name entry of the server_name extension, lowercased; undefined when there is none. */
function serverName(hello: Buffer): string | undefined {
  const r = new Reader(hello);
  r.skip(2 + 32); // client_version, random
  r.skip(r.u8()); // session_id
  r.skip(r.u16()); // cipher_suites
  r.skip(r.u8()); // compression_methods
  if (r.done()) return undefined; // no extensions at all
  const extensions = new Reader(r.take(r.u16()));
  while (!extensions.done()) {
    const type = extensions.u16();
    const data = extensions.take(extensions.u16());
    if (type !== SERVER_NAME_EXTENSION) continue;
    const list = new Reader(data);
    const names = new Reader(list.take(list.u16()));
    while (!names.done()) {
      const kind = names.u8();
      const name = names.take(names.u16());
      if (kind === HOST_NAME) return name.toString('latin1').toLowerCase().replace(/\.$/, '');
    }
    return undefined;
  }
  return undefined;
}

class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  done(): boolean {
    return this.at >= this.buf.length;
  }
  u8(): number {
    return this.take(1)[0]!;
  }
  u16(): number {
    return this.take(2).readUInt16BE(0);
  }
  skip(n: number): void {
    this.take(n);
  }
  take(n: number): Buffer {
    if (this.at + n > this.buf.length) throw new Error('a length runs past its end');
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}
