import { createServer, type AddressInfo } from 'node:net';
import { connect } from 'node:tls';

/** The first bytes node's TLS client sends (a real ClientHello), with or without SNI. */
export async function captureClientHello(servername: string | undefined): Promise<Buffer> {
  const server = createServer();
  const got = new Promise<Buffer>((resolve) =>
    server.on('connection', (socket) => socket.once('data', (d: Buffer) => resolve(d))),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = connect({ host: '127.0.0.1', port, ...(servername ? { servername } : {}) });
  client.on('error', () => undefined);
  const hello = await got;
  client.destroy();
  server.close();
  return hello;
}
