import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  incusTimeMs,
  writeBackLogins,
} from '../../../../../src/core/session/host-copies/write-back.js';
import type { FileStat } from '../../../../../src/incus/file-types.js';
import type { IncusApi } from '../../../../../src/incus/index.js';

const NAME = 'coi-unit-wb-1';
const INSIDE = '/home/code/.claude/.credentials.json';
const COPIED = Buffer.from('{"token":"old"}');
const ROTATED = Buffer.from('{"token":"new"}');

let dir: string;
let host: string;
/** The container's file: its stat and content, or none. */
let file: { stat: FileStat; content: Buffer } | undefined;

const files = {
  stat: () => Promise.resolve(file?.stat),
  pull: () => (file ? Promise.resolve(file.content) : Promise.reject(new Error('Not Found'))),
} as unknown as IncusApi['files'];
const incus = { files } as Pick<IncusApi, 'files'>;

const at = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' +0000 UTC');
const record = () => ({
  host,
  container: INSIDE,
  mode: 0o600,
  sha256: createHash('sha256').update(COPIED).digest('hex'),
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coi-write-back-'));
  host = join(dir, '.credentials.json');
  writeFileSync(host, COPIED, { mode: 0o640 });
  const hostTime = Date.now() / 1000 - 60;
  utimesSync(host, hostTime, hostTime);
  file = {
    stat: { type: 'file', uid: 1000, gid: 1000, mode: 0o600, modified: at(Date.now()) },
    content: ROTATED,
  };
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeBackLogins', () => {
  it('replaces the host file with a copy rotated inside, keeping its mode, leaving no temp file', async () => {
    expect(await writeBackLogins(incus, NAME, [record()])).toEqual([host]);
    expect(readFileSync(host)).toEqual(ROTATED);
    expect(statSync(host).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['.credentials.json']);
  });

  it('keeps a symlinked host login a symlink, replacing its target', async () => {
    const link = join(dir, 'link.json');
    symlinkSync(host, link);
    expect(await writeBackLogins(incus, NAME, [{ ...record(), host: link }])).toEqual([link]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(host)).toEqual(ROTATED);
  });

  it('leaves the host alone when nothing changed inside', async () => {
    file!.content = COPIED;
    expect(await writeBackLogins(incus, NAME, [record()])).toEqual([]);
  });

  it("leaves the host alone when its file is newer (another session's rotation, a new login)", async () => {
    file!.stat.modified = at(Date.now() - 120_000);
    expect(await writeBackLogins(incus, NAME, [record()])).toEqual([]);
    expect(readFileSync(host)).toEqual(COPIED);
  });

  it('never brings back a login removed on the host, nor reads what is not a plain file inside', async () => {
    file!.stat.type = 'symlink';
    expect(await writeBackLogins(incus, NAME, [record()])).toEqual([]);
    rmSync(host);
    file!.stat.type = 'file';
    expect(await writeBackLogins(incus, NAME, [record()])).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('incusTimeMs', () => {
  it('reads the times Incus sends, with or without fractions and offsets', () => {
    expect(incusTimeMs('2026-11-23 11:20:33 +0000 UTC')).toBe(Date.UTC(2026, 10, 23, 11, 20, 33));
    expect(incusTimeMs('2026-11-23 11:20:33.123456789 +0100 CET')).toBe(
      Date.UTC(2026, 10, 23, 10, 20, 33, 123),
    );
    expect(incusTimeMs('')).toBeNaN();
  });
});
