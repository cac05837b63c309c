// The least CPU the injector can spend on a download: a TLS server and client in this process on
// loopback, the server encrypting `mb` MiB in 1 MiB writes and the client decrypting them — what
// the injector does to every byte of an answer (decrypt the server's, encrypt the container's).
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';

const MB = 1 << 20;

/** CPU ms of this process to send `mb` MiB through a loopback TLS connection and read it. */
export async function tlsFloorCpuMs(
  tls: { cert: string; key: string },
  name: string,
  mb: number,
): Promise<number> {
  const chunk = Buffer.alloc(MB, 0x61);
  const server = createServer(tls, (socket) => {
    let left = mb;
    const more = () => {
      while (left-- > 0) if (!socket.write(chunk)) return void socket.once('drain', more);
      socket.end();
    };
    more();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const before = process.cpuUsage();
  const client = connect({
    port: (server.address() as AddressInfo).port,
    host: '127.0.0.1',
    ca: tls.cert,
    servername: name,
  });
  client.resume();
  await once(client, 'end');
  const used = process.cpuUsage(before);
  client.destroy();
  server.close();
  return (used.user + used.system) / 1000;
}
