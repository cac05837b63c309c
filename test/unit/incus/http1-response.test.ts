import { describe, expect, it } from 'vitest';
import { parseHttp1Response } from '../../../src/incus/http1-response.js';

const head = (...lines: string[]) =>
  `HTTP/1.1 200 OK\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`;
const parse = (text: string, ended = false) => parseHttp1Response(Buffer.from(text), ended);

describe('parseHttp1Response', () => {
  it('reads a body of Content-Length bytes, and waits until they are all there', () => {
    const full = head('Content-Type: application/json', 'Content-Length: 7') + '{"a":1}';
    expect(parse(full.slice(0, -1))).toBeUndefined();
    const res = parse(full)!;
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.toString()).toBe('{"a":1}');
  });

  it('joins the chunks of a chunked body, complete at the last chunk only', () => {
    const full =
      head('Transfer-Encoding: chunked') + '4\r\n{"a"\r\na\r\n:"0123456"\r\n1\r\n}\r\n0\r\n\r\n';
    for (const cut of [10, full.indexOf('a\r\n'), full.length - 5]) {
      expect(parse(full.slice(0, cut))).toBeUndefined();
    }
    expect(parse(full)!.body.toString()).toBe('{"a":"0123456"}');
  });

  it('takes a body with neither length nor chunks as ending with the connection', () => {
    const text = head('X-Y: z') + 'partial';
    expect(parse(text)).toBeUndefined();
    expect(parse(text, true)!.body.toString()).toBe('partial');
  });

  it('keeps the status and lower-cases header names', () => {
    const res = parse('HTTP/1.1 404 Not Found\r\nETag: "v1"\r\nContent-Length: 0\r\n\r\n')!;
    expect(res).toEqual({
      status: 404,
      headers: { etag: '"v1"', 'content-length': '0' },
      body: Buffer.alloc(0),
    });
  });

  it('refuses what is not HTTP/1.x and a connection closed too early', () => {
    expect(() => parse('SSH-2.0-OpenSSH\r\n\r\n')).toThrow(/not an HTTP\/1.1 response/);
    expect(() => parse('HTTP/1.1 200 OK\r\nContent-Le', true)).toThrow(
      /before the response headers/,
    );
    expect(() => parse(head('Content-Length: 9') + 'abc', true)).toThrow(/after 3 of 9 body bytes/);
    expect(() => parse(head('Transfer-Encoding: chunked') + '5\r\nab', true)).toThrow(
      /inside a chunked body/,
    );
    expect(() => parse(head('Transfer-Encoding: chunked') + 'zz\r\n')).toThrow(/malformed/);
  });
});
