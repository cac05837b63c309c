// The web servers of bench/proxy in a process of their own, so the TLS they do does not share the
// proxy's event loop: `tsx bench/_proxy-servers.ts <address> <cert.pem> <key.pem> <port>…`; prints
// "ready" once listening and runs until killed. They keep connections alive, as HTTPS APIs do,
// unless the client asks to close or the path ends in `?close`.
import { readFileSync } from 'node:fs';
import { startWebServers } from '../test/helpers/proxy-bed.js';

const [address = '', cert = '', key = '', ...ports] = process.argv.slice(2);
const tls = { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
await startWebServers(address, tls, { https: ports.map(Number), http: [] }, undefined, {
  keepAlive: true,
});
console.log('ready');
