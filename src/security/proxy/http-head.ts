/**
 * Reads the Host of a plain HTTP request from its head, and rewrites the head so the server closes
 * the connection after answering: a second request on a kept-alive connection could name another
 * host, and only the first one is checked.
 */

export type HeadScan =
  | { state: 'incomplete' }
  | { state: 'http'; host: string | undefined; head: Buffer; rest: Buffer }
  | { state: 'invalid'; reason: string };

export const MAX_HEAD_BYTES = 32 * 1024;
const REQUEST_LINE = /^[A-Z]{3,10} \S+ HTTP\/1\.[01]$/;
const HOP_HEADERS = /^(connection|keep-alive|proxy-connection)$/i;

/** Whether the bytes start like an HTTP/1 request line (a method token). */
export function looksLikeHttp(head: Buffer): boolean {
  return /^[A-Z]{1,10}( |$)/.test(head.subarray(0, 11).toString('latin1'));
}

export function scanHttpHead(data: Buffer): HeadScan {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0)
    return data.length > MAX_HEAD_BYTES
      ? { state: 'invalid', reason: 'HTTP request head too large' }
      : { state: 'incomplete' };
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const [requestLine = '', ...headers] = lines;
  if (!REQUEST_LINE.test(requestLine))
    return { state: 'invalid', reason: 'not an HTTP/1 request line' };
  const hosts = headers.filter((h) => /^host:/i.test(h)).map((h) => h.slice(5).trim());
  if (hosts.length > 1) return { state: 'invalid', reason: 'more than one Host header' };
  const kept = headers.filter((h) => !HOP_HEADERS.test(h.split(':')[0]!.trim()));
  const head = Buffer.from(
    [requestLine, ...kept, 'Connection: close', '', ''].join('\r\n'),
    'latin1',
  );
  return { state: 'http', host: hostName(hosts[0]), head, rest: data.subarray(end + 4) };
}

/** `Example.COM:8080` → `example.com`; undefined for a missing or empty Host. */
function hostName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const name = value.startsWith('[')
    ? value.slice(0, value.indexOf(']') + 1)
    : value.split(':')[0]!;
  return name.toLowerCase().replace(/\.$/, '') || undefined;
}
