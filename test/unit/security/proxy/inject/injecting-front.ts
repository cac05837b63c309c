import { createServer, type Server } from 'node:net';
import { readClientHead } from '../../../../../src/security/proxy/client-head.js';
import type { CredentialInjector } from '../../../../../src/security/proxy/inject/injector.js';
import type { ContainerInjection } from '../../../../../src/security/proxy/inject/store.js';
import type { InjectRule } from '../../../../../src/security/proxy/inject/rules.js';

/**
 * A listening loopback stand-in for the egress proxy's front: each connection's ClientHello is
 * read and the connection handed to `injector` for the name it asks, with the rule and upstream
 * port `target()` gives at that moment (a test may change them between requests).
 */
export async function startInjectingFront(
  injector: CredentialInjector,
  injection: ContainerInjection,
  target: () => { rule: InjectRule; port: number },
  options: { allowHalfOpen?: boolean } = {},
): Promise<Server> {
  const front = createServer(options, (socket) => {
    void readClientHead(socket, 5000).then(async (head) => {
      if (!('bytes' in head) || head.name === undefined) return socket.destroy();
      const { rule, port } = target();
      const connection = {
        ...{ container: 'coi-test', ip: '127.0.0.1', sourcePort: socket.remotePort ?? 0 },
        ...{ name: head.name, address: '127.0.0.1', port, rule },
      };
      if (!(await injector.terminate(socket, head.bytes, connection, injection))) socket.destroy();
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  return front;
}
