import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncusCertificateError, IncusForbiddenError } from '../../../src/incus/errors.js';
import { Incus } from '../../../src/incus/index.js';
import { run } from '../../../src/shared/run.js';
import {
  BED,
  BED_IMAGE,
  BED_REMOTE,
  BED_URL,
  bedServerCert,
  deleteBedContainer,
  ensureRemoteBed,
  inBedNetns,
  type RemoteBed,
} from '../../helpers/remote-incus.js';
import { selfSignedCert, writeClientConf } from '../../helpers/remote-incus-conf.js';
import { remoteTestName, testName } from '../../helpers/testbed.js';

/**
 * The typed client against a second Incus daemon (the remote bed: its own netns, reached over
 * HTTPS on a veth), as `incus remote add` would have configured it.
 */

const name = remoteTestName('api');
let bed: RemoteBed;
let remote: Incus;
const confDirs: string[] = [];

beforeAll(async () => {
  bed = await ensureRemoteBed(testName('remote-api'));
  remote = await Incus.remote(BED_REMOTE, { configDir: bed.conf.dir });
});

afterAll(async () => {
  await remote?.close();
  await deleteBedContainer(name);
  await bed?.release();
  await Promise.all(confDirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A client of the bed with a config of its own (a fresh certificate nobody trusts). */
async function strangerWith(serverCert: string): Promise<Incus> {
  const conf = await writeClientConf('stranger', [{ name: BED_REMOTE, url: BED_URL, serverCert }]);
  confDirs.push(conf.dir);
  return Incus.remote(BED_REMOTE, { configDir: conf.dir });
}

describe('a remote Incus over HTTPS', () => {
  it('trusts the client certificate', async () => {
    expect(remote.client.endpoint).toBe(BED_URL);
    const server = await remote.server.get();
    expect(server.auth).toBe('trusted');
    expect(server.environment?.certificate).toBe(await bedServerCert());
  });

  it('launches from the copied image, execs (stdout, exit code) and deletes', async () => {
    await (
      await remote.instances.create({ name, image: { alias: BED_IMAGE }, start: true })
    ).wait({ timeoutMs: 120_000 });
    const result = await remote.exec.run(name, ['sh', '-c', 'echo from-remote; exit 7']);
    expect(result.stdout.toString()).toBe('from-remote\n');
    expect(result.exitCode).toBe(7);

    // The container's host side lives in the bed's netns: its veth, its bridge, the bed's nft.
    const state = await remote.instances.state(name);
    const hostVeth = state.network?.eth0?.host_name;
    expect(hostVeth).toMatch(/^veth/);
    expect(await inBedNetns('ip', ['-o', 'link', 'show', hostVeth!])).toContain(
      `master ${BED.bridge}`,
    );
    await expect(run('ip', ['link', 'show', hostVeth!])).rejects.toThrow(/does not exist/);
    const bedRules = await inBedNetns('nft', ['list', 'ruleset']);
    expect(bedRules).toContain(`"${BED.bridge}"`);
    expect(bedRules).toMatch(/table inet coi-guard/);
    expect(await run('nft', ['list', 'ruleset'])).not.toContain(`"${BED.bridge}"`);
    await expect(run('ip', ['link', 'show', BED.bridge])).rejects.toThrow(/does not exist/);

    await (await remote.instances.stop(name, { force: true })).wait({ timeoutMs: 60_000 });
    await (await remote.instances.delete(name)).wait({ timeoutMs: 60_000 });
    expect(await remote.instances.exists(name)).toBe(false);
    await expect(inBedNetns('ip', ['link', 'show', hostVeth!])).rejects.toThrow(/does not exist/);
  });

  it('refuses a client certificate it does not trust, saying so', async () => {
    const stranger = await strangerWith(await bedServerCert());
    try {
      expect((await stranger.server.get()).auth).toBe('untrusted');
      const refused = stranger.instances.names();
      await expect(refused).rejects.toBeInstanceOf(IncusForbiddenError);
      await expect(refused).rejects.toThrow(/does not trust this client's certificate/);
    } finally {
      await stranger.close();
    }
  });

  it('refuses a server that is not the pinned one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coi-other-server-'));
    confDirs.push(dir);
    await selfSignedCert('other-server', join(dir, 'server.crt'), join(dir, 'server.key'));
    const misled = await strangerWith(await readFile(join(dir, 'server.crt'), 'utf8'));
    try {
      const refused = misled.server.get();
      await expect(refused).rejects.toBeInstanceOf(IncusCertificateError);
      await expect(refused).rejects.toThrow(/not the one pinned for it/);
    } finally {
      await misled.close();
    }
  });
});
