import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { run } from '../../../shared/run.js';

/** A container's proxy CA on the host: the key never leaves this directory. */
export interface CaFiles {
  cert: string;
  key: string;
}

export function caFiles(dir: string): CaFiles {
  return { cert: join(dir, 'ca.pem'), key: join(dir, 'ca.key') };
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Makes a CA for one container in `dir` (0700; the key 0600): the egress proxy signs its leaf
 * certificates for the inject names with it, and only the container trusts it.
 */
export async function createProxyCa(dir: string, container: string): Promise<CaFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = caFiles(dir);
  await run('openssl', [
    ...['req', '-x509', ...EC_KEY, '-days', '3650', '-subj', `/CN=coi egress proxy ${container}`],
    ...['-addext', 'basicConstraints=critical,CA:TRUE'],
    ...['-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    ...['-keyout', files.key, '-out', files.cert],
  ]);
  await chmod(files.key, 0o600);
  return files;
}

/** Leaf certificates for SNI names, signed by a container's CA, made once per name. */
export class LeafIssuer {
  private readonly contexts = new Map<string, Promise<SecureContext>>();

  constructor(private readonly ca: CaFiles) {}

  contextFor(name: string): Promise<SecureContext> {
    let context = this.contexts.get(name);
    if (!context) {
      context = this.issue(name);
      this.contexts.set(name, context);
      context.catch(() => this.contexts.delete(name));
    }
    return context;
  }

  private async issue(name: string): Promise<SecureContext> {
    const pem = await run('openssl', [
      ...['req', '-x509', ...EC_KEY, '-days', '30', '-subj', `/CN=${name}`],
      ...['-addext', `subjectAltName=DNS:${name}`, '-addext', 'basicConstraints=critical,CA:FALSE'],
      ...['-addext', 'extendedKeyUsage=serverAuth'],
      ...['-CA', this.ca.cert, '-CAkey', this.ca.key, '-keyout', '-', '-out', '-'],
    ]);
    const key = /-----BEGIN PRIVATE KEY-----[^]*?-----END PRIVATE KEY-----/.exec(pem)?.[0];
    const cert = /-----BEGIN CERTIFICATE-----[^]*?-----END CERTIFICATE-----/.exec(pem)?.[0];
    if (!key || !cert) throw new Error(`openssl made no certificate for ${name}`);
    return createSecureContext({ key, cert, minVersion: 'TLSv1.2' });
  }
}
