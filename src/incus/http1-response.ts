/** One HTTP/1.1 response read off a connection, once all of it has arrived. */
export interface Http1Response {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * The response in `data` (everything read so far), or undefined while more is to come. The body
 * is complete at its Content-Length, at the last chunk of a chunked one, or — neither given —
 * when the server closes (`ended`). Throws on a response that is not HTTP/1.x.
 */
export function parseHttp1Response(data: Buffer, ended: boolean): Http1Response | undefined {
  const headEnd = data.indexOf(HEAD_END);
  if (headEnd < 0) {
    if (ended) throw new Error('connection closed before the response headers');
    return undefined;
  }
  const [statusLine = '', ...headerLines] = data
    .subarray(0, headEnd)
    .toString('latin1')
    .split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
  if (status === undefined)
    throw new Error(`not an HTTP/1.1 response: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = data.subarray(headEnd + HEAD_END.length);
  const body = bodyOf(rest, headers, ended);
  return body === undefined ? undefined : { status: Number(status), headers, body };
}

function bodyOf(rest: Buffer, headers: Record<string, string>, ended: boolean): Buffer | undefined {
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) return dechunk(rest, ended);
  const length = headers['content-length'];
  if (length !== undefined) {
    if (rest.length >= Number(length)) return rest.subarray(0, Number(length));
    if (ended) throw new Error(`connection closed after ${rest.length} of ${length} body bytes`);
    return undefined;
  }
  return ended ? rest : undefined;
}

function dechunk(data: Buffer, ended: boolean): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) throw new Error('malformed chunked body');
    const start = lineEnd + 2;
    if (size === 0) return Buffer.concat(parts);
    if (data.length < start + size + 2) break;
    parts.push(data.subarray(start, start + size));
    at = start + size + 2;
  }
  if (ended) throw new Error('connection closed inside a chunked body');
  return undefined;
}
