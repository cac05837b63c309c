import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * After the real server answered `101 Switching Protocols` to an upgrade request (a WebSocket,
 * say): its answer goes back to the container as it came, then the two TLS streams are relayed
 * unparsed both ways. `pipe` waits for a full side to drain before reading on, and passes an end
 * on (a half-close); a side that closes or fails before its end closes the other.
 */
export function switchProtocols(
  client: Duplex,
  clientHead: Buffer,
  answer: IncomingMessage,
  upstream: Duplex,
  upstreamHead: Buffer,
): void {
  const lines = [`HTTP/1.1 101 ${answer.statusMessage ?? 'Switching Protocols'}`];
  for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2)
    lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
  client.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  if (upstreamHead.length > 0) client.write(upstreamHead);
  if (clientHead.length > 0) upstream.write(clientHead);
  for (const [from, to] of [
    [client, upstream],
    [upstream, client],
  ] as const) {
    from.on('error', () => from.destroy());
    // Closed after its end was passed on: `to` ends once what it holds is written.
    from.on('close', () => {
      if (!from.readableEnded) to.destroy();
    });
    from.pipe(to);
  }
  client.resume();
}
