import { createServer } from 'node:net';

/**
 * Whether a TCP port can be listened on at `address` now: undefined when it can, else the error
 * code (`EADDRINUSE`: something listens there; `EADDRNOTAVAIL`: not an address of this host).
 * Binding is the only reliable test; the port is released again at once.
 */
export function probeHostPort(address: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ host: address, port, exclusive: true }, () =>
      server.close(() => resolve(undefined)),
    );
  });
}
