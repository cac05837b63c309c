import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncusClient } from '../../src/incus/client.js';
import { run } from '../../src/shared/run.js';

/**
 * An incus CLI config directory (`INCUS_CONF`) as `incus remote add` leaves it: a client
 * certificate, `config.yml` naming the remotes, and each remote's pinned server certificate.
 */

export interface ConfRemote {
  name: string;
  url: string;
  /** PEM of the certificate pinned in `servercerts/<name>.crt`. */
  serverCert: string;
}

export interface ClientConf {
  dir: string;
  /** The client certificate (PEM) and its SHA-256 fingerprint, as Incus names it. */
  certPem: string;
  fingerprint: string;
}

/** A self-signed EC P-256 certificate and key (PEM files) with common name `cn`. */
export async function selfSignedCert(cn: string, certPath: string, keyPath: string): Promise<void> {
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${cn}`,
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
}

function configYml(remotes: ConfRemote[], defaultRemote: string): string {
  const entries = remotes.map(
    (r) =>
      `  ${r.name}:\n    addr: ${r.url}\n    auth_type: tls\n    protocol: incus\n    public: false\n`,
  );
  return `default-remote: ${defaultRemote}\nremotes:\n${entries.join('')}aliases: {}\n`;
}

/** A fresh config directory with a new client certificate `cn`; the first remote is the default. */
export async function writeClientConf(cn: string, remotes: ConfRemote[]): Promise<ClientConf> {
  const dir = await mkdtemp(join(tmpdir(), 'coi-incus-conf-'));
  await selfSignedCert(cn, join(dir, 'client.crt'), join(dir, 'client.key'));
  await mkdir(join(dir, 'servercerts'));
  for (const r of remotes) await writeFile(join(dir, 'servercerts', `${r.name}.crt`), r.serverCert);
  await writeFile(join(dir, 'config.yml'), configYml(remotes, remotes[0]?.name ?? 'local'));
  const certPem = await readFile(join(dir, 'client.crt'), 'utf8');
  const fingerprint = new X509Certificate(certPem).fingerprint256.replace(/:/g, '').toLowerCase();
  return { dir, certPem, fingerprint };
}

/** Adds a client certificate to a daemon's trust store (over a client that is trusted already). */
export async function trustCert(client: IncusClient, name: string, certPem: string): Promise<void> {
  // The API takes the certificate as base64 DER: the PEM body without its armour.
  const der = certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  await client.sync('POST', '/1.0/certificates', {
    body: { type: 'client', name, certificate: der },
  });
}

/** Removes a client certificate from the trust store; one already gone is fine. */
export async function untrustCert(client: IncusClient, fingerprint: string): Promise<void> {
  await client.sync('DELETE', `/1.0/certificates/${fingerprint}`).catch(() => undefined);
}
