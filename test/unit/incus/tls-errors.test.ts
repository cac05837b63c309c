import { describe, expect, it } from 'vitest';
import {
  IncusCertificateError,
  IncusError,
  IncusForbiddenError,
} from '../../../src/incus/errors.js';
import { certificateMismatch, untrustedClient } from '../../../src/incus/tls-errors.js';

const URL = 'https://10.0.0.2:8443';
const files = {
  remote: 'lab',
  serverCert: '/c/servercerts/lab.crt',
  clientCert: '/c/client.crt',
};

function tlsFailure(code: string): Error {
  // undici wraps the socket's error: `fetch failed` with the TLS error as its cause.
  return Object.assign(new Error('fetch failed'), {
    cause: Object.assign(new Error('self-signed certificate'), { code }),
  });
}

describe('certificateMismatch', () => {
  it('names the pinned file, the remote and how to re-add it', () => {
    const err = certificateMismatch(URL, files, tlsFailure('DEPTH_ZERO_SELF_SIGNED_CERT'));
    expect(err).toBeInstanceOf(IncusCertificateError);
    expect(err?.message).toContain('not the one pinned for it (/c/servercerts/lab.crt)');
    expect(err?.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(err?.message).toContain(`\`incus remote add lab ${URL}\``);
  });

  it('leaves other failures alone', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(certificateMismatch(URL, files, refused)).toBeUndefined();
  });
});

describe('untrustedClient', () => {
  it("says that the client's certificate is not trusted, and where it is", () => {
    const err = untrustedClient(URL, files, new IncusForbiddenError('not authorized', 403));
    expect(err).toBeInstanceOf(IncusForbiddenError);
    expect(err.code).toBe(403);
    expect(err.message).toContain(`Incus at ${URL} does not trust this client's certificate`);
    expect(err.message).toContain('(/c/client.crt)');
  });

  it('keeps every other refusal as it is', () => {
    const restricted = new IncusForbiddenError('Certificate is restricted', 403);
    expect(untrustedClient(URL, files, restricted)).toBe(restricted);
    const other = new IncusError('not authorized', 500);
    expect(untrustedClient(URL, files, other)).toBe(other);
  });
});
