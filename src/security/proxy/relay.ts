import { connect, type Socket, type TcpNetConnectOpts } from 'node:net';

/** What reads land in; a read takes at most what is left of it. */
const SLAB_BYTES = 1 << 20;
/** Below this much left, the next read gets a new slab. */
const MIN_READ_BYTES = 64 << 10;

/**
 * Connects with `options`, writing everything the connection reads to `to` and ending `to` when
 * it ends. Node's own reads take 64 KiB each and go through the readable stream to a pipe; here
 * a read takes what the kernel holds, up to the free end of a 1 MiB slab, and is written to `to`
 * as it is (the slice keeps its part of the slab alive, nothing is copied). Reading pauses while
 * `to` holds more than its high-water mark. Measured with bench/proxy (the spliced path's
 * download), see the README's design notes.
 */
export function connectInto(to: Socket, options: TcpNetConnectOpts): Socket {
  let slab = Buffer.allocUnsafe(SLAB_BYTES);
  let used = 0;
  const upstream: Socket = connect({
    ...options,
    onread: {
      buffer: () => slab.subarray(used),
      callback: (bytes, buffer) => {
        const chunk = buffer.subarray(0, bytes);
        used += bytes;
        if (SLAB_BYTES - used < MIN_READ_BYTES) {
          slab = Buffer.allocUnsafe(SLAB_BYTES);
          used = 0;
        }
        if (to.write(chunk)) return true;
        to.once('drain', () => upstream.resume());
        return false;
      },
    },
  });
  upstream.on('end', () => to.end());
  return upstream;
}
