import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCoi } from '../../../helpers/coi-cli.js';
import {
  BED,
  BED_IMAGE,
  BED_REMOTE,
  BED_URL,
  bedServerCert,
  bedSocketClient,
  deleteBedContainer,
  ensureRemoteBed,
  type RemoteBed,
} from '../../../helpers/remote-incus.js';
import { writeClientConf } from '../../../helpers/remote-incus-conf.js';
import { remoteTestName, testName } from '../../../helpers/testbed.js';
import { InstancesApi } from '../../../../src/incus/instances.js';

/**
 * `coi remote list` against the remote bed: the bed answers; a remote where nothing listens (as
 * a stopped daemon) does not, with the reason; the bed refuses a certificate it does not trust.
 * `coi --remote NAME list` lists the bed's coi containers, and only it does.
 */

const NOTHING_THERE = 'nothing-there';
/** The prefix the CLI runs with: the bed's names (`r-`), never a local container's. */
const PREFIX = remoteTestName('');
const remoteContainer = `${PREFIX}0123abcd-1`;
let bed: RemoteBed;
let strangerDir: string | undefined;

beforeAll(async () => {
  ensureBuilt();
  bed = await ensureRemoteBed(testName('remote-cli'), (serverCert) => [
    { name: NOTHING_THERE, url: `https://${BED.address}:8444`, serverCert },
  ]);
});

afterAll(async () => {
  await deleteBedContainer(remoteContainer);
  await bed?.release();
  if (strangerDir) await rm(strangerDir, { recursive: true, force: true });
});

const remoteList = (confDir: string, args: string[] = []) =>
  runCoi(['remote', 'list', ...args], { env: { HOME: confDir, INCUS_CONF: confDir } });

interface Row {
  name: string;
  url: string;
  protocol: string;
  default: boolean;
  reachable: boolean | null;
  auth: string | null;
  server_version: string | null;
  error: string | null;
}

describe('coi remote list', () => {
  it('JSON: the bed reachable and trusted, the default; nothing-there unreachable with why', async () => {
    const result = await remoteList(bed.conf.dir, ['--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Row[];
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(byName[BED_REMOTE]).toEqual({
      name: BED_REMOTE,
      url: BED_URL,
      protocol: 'incus',
      default: true,
      reachable: true,
      auth: 'trusted',
      server_version: expect.stringMatching(/^\d+\.\d+/) as string,
      error: null,
    });
    expect(byName[NOTHING_THERE]).toMatchObject({ default: false, reachable: false, auth: null });
    expect(byName[NOTHING_THERE]!.error).toMatch(/ECONNREFUSED/);
    expect(byName.local).toMatchObject({ url: 'unix://', default: false });
  });

  it('text: a table with the default marked and each status', async () => {
    const result = await remoteList(bed.conf.dir);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+URL\s+PROTOCOL\s+STATUS$/);
    const line = (name: string) => lines.find((l) => l.startsWith(`${name} `)) ?? '';
    expect(line(`${BED_REMOTE} (default)`)).toMatch(/reachable \(Incus \d+\.\d+/);
    expect(line(NOTHING_THERE)).toMatch(/unreachable: ECONNREFUSED/);
  });

  it('says when the bed answers but does not trust the certificate', async () => {
    const stranger = await writeClientConf('stranger', [
      { name: BED_REMOTE, url: BED_URL, serverCert: await bedServerCert() },
    ]);
    strangerDir = stranger.dir;
    const result = await remoteList(stranger.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`${BED_REMOTE} \\(default\\).*reachable.*certificate is not trusted there`),
    );
  });
});

describe('coi --remote NAME list', () => {
  const list = (args: string[], home = bed.conf.dir) =>
    runCoi(args, {
      env: { HOME: home, INCUS_CONF: bed.conf.dir, COI_CONTAINER_PREFIX: PREFIX },
    });

  beforeAll(async () => {
    const client = bedSocketClient();
    try {
      const instances = new InstancesApi(client);
      await (
        await instances.create({
          name: remoteContainer,
          image: { alias: BED_IMAGE },
          config: { 'user.coi.workspace': '/srv/on-the-remote' },
          start: false,
        })
      ).wait({ timeoutMs: 120_000 });
    } finally {
      await client.close();
    }
  });

  it("lists the remote's coi container; the local daemon has none of it", async () => {
    const remote = await list(['--remote', BED_REMOTE, 'list', '--json']);
    expect(remote.stderr).toBe('');
    expect(remote.code).toBe(0);
    const listed = (JSON.parse(remote.stdout) as { active_containers: Record<string, unknown>[] })
      .active_containers;
    expect(listed).toEqual([
      expect.objectContaining({
        name: remoteContainer,
        status: 'Stopped',
        workspace: '/srv/on-the-remote',
        slot: 1,
      }),
    ]);
    const local = await list(['list', '--json']);
    expect(local.code).toBe(0);
    expect(JSON.parse(local.stdout)).toEqual({ active_containers: [] });
  });

  it('[incus] remote names it for every run; an unknown name is a usage error', async () => {
    const home = await mkdtemp(join(tmpdir(), 'coi-remote-home-'));
    try {
      await mkdir(join(home, '.coi'));
      await writeFile(join(home, '.coi', 'config.toml'), `[incus]\nremote = "${BED_REMOTE}"\n`);
      const fromConfig = await list(['list'], home);
      expect(fromConfig.code).toBe(0);
      expect(fromConfig.stdout).toContain(remoteContainer);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
    const unknown = await list(['--remote', 'nowhere', 'list']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--remote nowhere: no such remote in the incus client config');
  });
});
