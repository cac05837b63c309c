import { IncusCertificateError, IncusForbiddenError, type IncusError } from './errors.js';

/** Node's codes for a server certificate that does not chain to the pinned one. */
const VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

function verifyCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && VERIFY_CODES.has(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Which remote, and where its certificates are, for the messages below. */
export interface TlsFiles {
  /** The remote's name in the incus CLI's config. */
  remote?: string;
  /** The pinned server certificate (`servercerts/<remote>.crt`). */
  serverCert?: string;
  /** The client certificate (`client.crt`). */
  clientCert?: string;
}

/** A TLS failure because the server is not the one pinned, as an IncusCertificateError. */
export function certificateMismatch(
  endpoint: string,
  files: TlsFiles,
  err: unknown,
): IncusCertificateError | undefined {
  const code = verifyCode(err);
  if (!code) return undefined;
  const pinned = files.serverCert ? ` (${files.serverCert})` : '';
  const name = files.remote ?? 'NAME';
  return new IncusCertificateError(
    `the server at ${endpoint} presented a certificate that is not the one pinned for it${pinned}: ${code}. ` +
      `If that server was reinstalled, add the remote again (\`incus remote remove ${name}\`, then ` +
      `\`incus remote add ${name} ${endpoint}\`); otherwise something else answers at that address.`,
  );
}

/** Incus's refusal of a client certificate it does not trust, with what makes it trusted. */
export function untrustedClient(endpoint: string, files: TlsFiles, err: IncusError): IncusError {
  if (!(err instanceof IncusForbiddenError) || !/^not authorized$/i.test(err.message)) return err;
  const cert = files.clientCert ?? 'client.crt';
  return new IncusForbiddenError(
    `Incus at ${endpoint} does not trust this client's certificate (${cert}): not authorized. ` +
      'On that server run `incus config trust add-certificate` with that file, or add the remote ' +
      `again with a trust token (\`incus config trust add\` there, \`incus remote add ${files.remote ?? 'NAME'} ${endpoint}\` here).`,
    err.code,
  );
}
