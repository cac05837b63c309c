import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCoi } from '../../../helpers/coi-cli.js';
import {
  BED,
  BED_REMOTE,
  BED_URL,
  bedServerCert,
  ensureRemoteBed,
  type RemoteBed,
} from '../../../helpers/remote-incus.js';
import { writeClientConf } from '../../../helpers/remote-incus-conf.js';
import { testName } from '../../../helpers/testbed.js';

/**
 * `coi remote list` against the remote bed: the bed answers; a remote where nothing listens (as
 * a stopped daemon) does not, with the reason; the bed refuses a certificate it does not trust.
 */

const NOTHING_THERE = 'nothing-there';
let bed: RemoteBed;
let strangerDir: string | undefined;

beforeAll(async () => {
  ensureBuilt();
  const serverCert = await bedServerCert();
  bed = await ensureRemoteBed(testName('remote-cli'), [
    { name: NOTHING_THERE, url: `https://${BED.address}:8444`, serverCert },
  ]);
});

afterAll(async () => {
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
