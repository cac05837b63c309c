import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../../helpers/remote-incus-conf.js';
import { IncusForbiddenError } from '../../../src/incus/errors.js';
import { isLifecycle } from '../../../src/incus/events.js';
import type { LifecycleEvent } from '../../../src/incus/event-types.js';
import { Incus } from '../../../src/incus/index.js';
import {
  BASE_IMAGE,
  deleteTestContainer,
  incus as localClient,
  testName,
} from '../../helpers/testbed.js';

/**
 * The same instance operations over HTTPS with a client certificate, as `incus remote add` would
 * set it up: the local daemon listens on a loopback port for the duration of this file only.
 */

const name = testName('remote');
const certName = testName('remote-cert');
let configDir: string;
let previousAddress = '';
let certFingerprint = '';
let remote: Incus | undefined;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function setHttpsAddress(address: string): Promise<void> {
  await localClient().sync('PATCH', '/1.0', {
    body: { config: { 'core.https_address': address } },
  });
}

beforeAll(async () => {
  const server = await localClient().get<{
    config: Record<string, string>;
    environment: { certificate: string };
  }>('/1.0');
  previousAddress = server.config['core.https_address'] ?? '';
  const port = await freePort();
  await setHttpsAddress(`127.0.0.1:${port}`);

  configDir = await mkdtemp(join(tmpdir(), 'coi-remote-'));
  await selfSignedCert(certName, join(configDir, 'client.crt'), join(configDir, 'client.key'));
  const pem = await readFile(join(configDir, 'client.crt'), 'utf8');
  certFingerprint = new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
  // The API takes the certificate as base64 DER: the PEM body without its armour.
  const der = pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  await localClient().sync('POST', '/1.0/certificates', {
    body: { type: 'client', name: certName, certificate: der },
  });

  await mkdir(join(configDir, 'servercerts'));
  await writeFile(join(configDir, 'servercerts', 'coi-test.crt'), server.environment.certificate);
  await writeFile(
    join(configDir, 'config.yml'),
    `default-remote: coi-test\nremotes:\n  coi-test:\n    addr: https://127.0.0.1:${port}\n    auth_type: tls\n    protocol: incus\n    public: false\naliases: {}\n`,
  );
});

afterAll(async () => {
  await remote?.close();
  await deleteTestContainer(name);
  if (certFingerprint) {
    await localClient()
      .sync('DELETE', `/1.0/certificates/${certFingerprint}`)
      .catch(() => undefined);
  }
  await setHttpsAddress(previousAddress);
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

describe('remote over HTTPS', () => {
  it('runs instance operations and events (wss) with a trusted client certificate', async () => {
    remote = await Incus.remote(undefined, { configDir });
    expect(remote.client.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await remote.connect();
    const events: LifecycleEvent[] = [];
    remote.events.subscribe((e) => {
      if (e.type === 'lifecycle' && e.metadata.name === name) events.push(e);
    });

    expect(Array.isArray(await remote.instances.names())).toBe(true);
    await (
      await remote.instances.create({ name, image: { alias: BASE_IMAGE } })
    ).wait({ timeoutMs: 60_000 });
    await (await remote.instances.start(name)).wait({ timeoutMs: 60_000 });
    const state = await remote.instances.state(name);
    expect(state.status).toBe('Running');
    expect(state.pid).toBeGreaterThan(1);
    await (await remote.instances.stop(name, { force: true })).wait();
    await (await remote.instances.delete(name)).wait();
    expect(await remote.instances.exists(name)).toBe(false);

    for (let i = 0; i < 50 && events.length < 4; i++) await new Promise((r) => setTimeout(r, 100));
    expect(events.map((e) => e.metadata.action)).toEqual([
      'instance-created',
      'instance-started',
      'instance-stopped',
      'instance-deleted',
    ]);
    const started = events.find((e) => isLifecycle(e, 'instance-started'));
    expect(started?.metadata.requestor?.protocol).toBe('tls');
  });

  it('an untrusted certificate is refused', async () => {
    const other = await mkdtemp(join(tmpdir(), 'coi-remote-untrusted-'));
    try {
      await selfSignedCert('untrusted', join(other, 'client.crt'), join(other, 'client.key'));
      await mkdir(join(other, 'servercerts'));
      for (const file of ['config.yml', 'servercerts/coi-test.crt']) {
        await writeFile(join(other, file), await readFile(join(configDir, file)));
      }
      const stranger = await Incus.remote('coi-test', { configDir: other });
      try {
        const server = await stranger.server.get();
        expect(server.auth).toBe('untrusted');
        await expect(stranger.instances.names()).rejects.toBeInstanceOf(IncusForbiddenError);
      } finally {
        await stranger.close();
      }
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
