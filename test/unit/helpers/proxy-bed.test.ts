import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startWebServers } from '../../helpers/proxy-bed.js';

const NO_TLS = { cert: '', key: '' };
const servers: { close: () => void }[] = [];

async function serving(keepAlive?: boolean): Promise<number> {
  const options = keepAlive === undefined ? undefined : { keepAlive };
  const [server] = await startWebServers(
    '127.0.0.1',
    NO_TLS,
    { https: [], http: [0] },
    undefined,
    options,
  );
  servers.push(server!);
  return (server!.address() as AddressInfo).port;
}

/** The answer's Connection header to a request that does not ask for either. */
function connectionOf(port: number, path: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      resolve(res.headers.connection);
    })
      .on('error', reject)
      .end();
  });
}

afterAll(() => servers.forEach((s) => s.close()));

describe('startWebServers', () => {
  it('closes every connection after its answer by default', async () => {
    const port = await serving();
    expect(await connectionOf(port, '/')).toBe('close');
    expect(await connectionOf(port, '/mb/1')).toBe('close');
  });

  it('keepAlive: keeps connections, but for an answer to a path ending in ?close', async () => {
    const port = await serving(true);
    expect(await connectionOf(port, '/')).toBe('keep-alive');
    expect(await connectionOf(port, '/mb/1')).toBe('keep-alive');
    expect(await connectionOf(port, '/?close')).toBe('close');
    expect(await connectionOf(port, '/mb/1?close')).toBe('close');
  });
});
