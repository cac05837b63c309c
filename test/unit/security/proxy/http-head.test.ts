import { describe, expect, it } from 'vitest';
import { looksLikeHttp, scanHttpHead } from '../../../../src/security/proxy/http-head.js';

describe('HTTP request head', () => {
  it('reads the Host without its port and makes the server close after one answer', () => {
    const scan = scanHttpHead(
      Buffer.from(
        'GET /x HTTP/1.1\r\nHost: Allowed.TEST:8080\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\n\r\nbody',
      ),
    );
    expect(scan).toMatchObject({ state: 'http', host: 'allowed.test' });
    if (scan.state !== 'http') throw new Error('not http');
    expect(scan.head.toString()).toBe(
      'GET /x HTTP/1.1\r\nHost: Allowed.TEST:8080\r\nConnection: close\r\n\r\n',
    );
    expect(scan.rest.toString()).toBe('body');
  });

  it('waits for the end of the head; no Host is no name; two Hosts are refused', () => {
    expect(scanHttpHead(Buffer.from('GET / HTTP/1.1\r\nHost: a'))).toEqual({ state: 'incomplete' });
    expect(scanHttpHead(Buffer.from('GET / HTTP/1.0\r\n\r\n'))).toMatchObject({
      state: 'http',
      host: undefined,
    });
    expect(
      scanHttpHead(Buffer.from('GET / HTTP/1.1\r\nHost: a.test\r\nhost: b.test\r\n\r\n')),
    ).toEqual({ state: 'invalid', reason: 'more than one Host header' });
    expect(scanHttpHead(Buffer.from('HELLO\r\n\r\n'))).toMatchObject({ state: 'invalid' });
  });

  it('tells an HTTP request from other bytes', () => {
    expect(looksLikeHttp(Buffer.from('POST /'))).toBe(true);
    expect(looksLikeHttp(Buffer.from([0x16, 3, 1]))).toBe(false);
    expect(looksLikeHttp(Buffer.from('ssh-2.0'))).toBe(false);
  });
});
