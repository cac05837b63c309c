import { Readable, Writable } from 'node:stream';
import WebSocket from 'ws';

/** Buffered bytes per output stream before the websocket is paused (backpressure to the daemon). */
const OUTPUT_HIGH_WATER_MARK = 1 << 20;

/**
 * One output fd of an exec: binary frames are data; a text frame (the "barrier") or the socket
 * closing ends the stream. The daemon drops the connection after its barrier (close code 1006),
 * which is normal. When the consumer lags, the socket is paused so the daemon (and so the
 * command) waits instead of this process buffering without bound.
 */
export class ExecOutputStream extends Readable {
  private ended = false;

  constructor(
    private readonly ws: WebSocket,
    /** Called once when the daemon signals the end of this stream. */
    private readonly onBarrier: () => void = () => undefined,
  ) {
    super({ highWaterMark: OUTPUT_HIGH_WATER_MARK });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.ended) return;
      if (!isBinary) {
        this.finish();
        return;
      }
      if (!this.push(data)) ws.pause();
    });
    ws.on('close', () => this.finish());
    ws.on('error', (err) => {
      if (!this.ended) this.destroy(err);
    });
  }

  override _read(): void {
    if (this.ws.isPaused) this.ws.resume();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.push(null);
    this.onBarrier();
  }
}

/**
 * The stdin fd of an exec: each chunk goes out as a binary frame. When `eofBarrier` is set,
 * ending the stream sends the empty text frame that the daemon reads as EOF. Writes after the
 * socket closed (the command exited without reading everything) are dropped, as a pipe would.
 */
export function execInputStream(ws: WebSocket, eofBarrier: boolean): Writable {
  const send = (data: Buffer | string, binary: boolean, cb: (err?: Error | null) => void): void => {
    if (ws.readyState !== WebSocket.OPEN) {
      cb();
      return;
    }
    ws.send(data, { binary }, () => cb());
  };
  return new Writable({
    highWaterMark: OUTPUT_HIGH_WATER_MARK,
    write(chunk: Buffer, _encoding, cb) {
      send(chunk, true, cb);
    },
    final(cb) {
      if (eofBarrier) send('', false, cb);
      else cb();
    },
  });
}
