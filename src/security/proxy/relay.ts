import { connect, type Socket, type TcpNetConnectOpts } from 'node:net';

/** What reads land in once a connection has read this much; a read takes what is left of it. */
const SLAB_BYTES = 1 << 20;
/** Below this much left, the next read goes to another slab. */
const MIN_READ_BYTES = 64 << 10;
/** What each read lands in before that (most connections read little). */
const FIRST_READ_BYTES = 16 << 10;

interface Slab {
  bytes: Buffer;
  used: number;
  /** Writes of its slices not done yet. */
  pending: number;
}

/**
 * Connects with `options`, writing everything the connection reads to `to` and ending `to` when
 * it ends. Node's own reads take 64 KiB each into a new buffer and go through the readable
 * stream to a pipe; here a read takes what the kernel holds, up to the free end of a 1 MiB slab,
 * and is written to `to` as it is (no copy). A full slab is read into again once its writes are
 * done, so a long download allocates no buffers (fresh ones cost page faults and GC). Reading
 * pauses while `to` holds more than its high-water mark. Measured with bench/proxy.
 */
export function connectInto(to: Socket, options: TcpNetConnectOpts): Socket {
  let read = 0;
  // Until a connection has read a slab's worth, each read gets a small buffer of its own: a 1 MiB
  // one (or 64 KiB, kept alive by the slices) for every short connection costs page faults and GC.
  const fresh = (): Slab => {
    const size = read < SLAB_BYTES ? FIRST_READ_BYTES : SLAB_BYTES;
    return { bytes: Buffer.allocUnsafe(size), used: 0, pending: 0 };
  };
  let slab = fresh();
  let spare: Slab | undefined;
  const recycle = (full: Slab) => {
    if (full.bytes.length < SLAB_BYTES) return;
    full.used = 0;
    spare ??= full;
  };
  const upstream: Socket = connect({
    ...options,
    onread: {
      buffer: () => slab.bytes.subarray(slab.used),
      callback: (bytes, buffer) => {
        const from = slab;
        read += bytes;
        from.used += bytes;
        from.pending += 1;
        const full = from.bytes.length - from.used < MIN_READ_BYTES;
        if (full) {
          slab = spare ?? fresh();
          spare = undefined;
        }
        const written = to.write(buffer.subarray(0, bytes), () => {
          from.pending -= 1;
          if (from.pending === 0 && from !== slab) recycle(from);
        });
        if (written) return true;
        to.once('drain', () => upstream.resume());
        return false;
      },
    },
  });
  upstream.on('end', () => to.end());
  return upstream;
}
