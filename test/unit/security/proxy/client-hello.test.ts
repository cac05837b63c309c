import { describe, expect, it } from 'vitest';
import { scanClientHello } from '../../../../src/security/proxy/client-hello.js';
import { captureClientHello as clientHello } from '../../../helpers/client-hello.js';

describe('TLS ClientHello server name', () => {
  it('reads the SNI of a real ClientHello, lowercased', async () => {
    expect(scanClientHello(await clientHello('API.Allowed.TEST'))).toEqual({
      state: 'tls',
      serverName: 'api.allowed.test',
    });
  });

  it('reports no name when the client sends no SNI', async () => {
    // node sends no SNI for an IP address
    expect(scanClientHello(await clientHello(undefined))).toEqual({
      state: 'tls',
      serverName: undefined,
    });
  });

  it('asks for more bytes until the hello is complete, also across records', async () => {
    const hello = await clientHello('split.test');
    expect(scanClientHello(hello.subarray(0, 3))).toEqual({ state: 'incomplete' });
    expect(scanClientHello(hello.subarray(0, hello.length - 1))).toEqual({ state: 'incomplete' });
    // The same handshake cut into two records of its own.
    const body = hello.subarray(5);
    const record = (part: Buffer) =>
      Buffer.concat([Buffer.from([0x16, 3, 1, part.length >> 8, part.length & 0xff]), part]);
    const split = Buffer.concat([record(body.subarray(0, 40)), record(body.subarray(40))]);
    expect(scanClientHello(split.subarray(0, 50))).toEqual({ state: 'incomplete' });
    expect(scanClientHello(split)).toEqual({ state: 'tls', serverName: 'split.test' });
  });

  it('refuses what is not a ClientHello, or whose lengths lie', async () => {
    expect(scanClientHello(Buffer.from('GET / HTTP/1.1\r\n'))).toMatchObject({
      state: 'invalid',
      reason: 'not a TLS handshake',
    });
    expect(scanClientHello(Buffer.from([0x16, 3, 1, 0, 4, 2, 0, 0, 0]))).toMatchObject({
      state: 'invalid',
      reason: 'not a ClientHello',
    });
    const hello = Buffer.from(await clientHello('lie.test'));
    hello.writeUInt8(0xff, 5 + 4 + 2 + 32); // session id length past the end
    expect(scanClientHello(hello)).toMatchObject({
      state: 'invalid',
      reason: expect.stringMatching(/^malformed ClientHello/),
    });
  });
});
