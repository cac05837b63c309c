import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  copyHostFiles,
  HostCopyError,
  writeSystemFiles,
} from '../../../../../src/core/session/host-copies/copy-in.js';
import { planHostCopies } from '../../../../../src/core/session/host-copies/plan.js';
import { claude } from '../../../../../src/core/tools/claude.js';
import { genericTool } from '../../../../../src/core/tools/generic.js';
import { FakeIncus } from '../../../../helpers/fake-incus.js';

const NAME = 'coi-unit-copy-1';
const UID = 1000;
const LOGIN = Buffer.from('{"claudeAiOauth":{"refreshToken":"r-1"}}\u0000\xff');

let hostHome: string;
let incus: FakeIncus;

beforeEach(() => {
  hostHome = mkdtempSync(join(tmpdir(), 'coi-copy-in-'));
  incus = new FakeIncus([{ name: NAME }]);
});

afterEach(() => rmSync(hostHome, { recursive: true, force: true }));

function hostFile(rel: string, content: string | Buffer): string {
  const path = join(hostHome, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

const inside = (path: string) => incus.instances.filesOf.get(NAME)?.get(path);

const claudeCopies = (bundles = []) =>
  planHostCopies({ tool: claude, bundles, permissionMode: 'bypass', hostHome, home: '/home/code' });

describe('copyHostFiles', () => {
  it('copies the login byte for byte, owned by the code user with mode 0600, and records it', async () => {
    const host = hostFile('.claude/.credentials.json', LOGIN);
    const records = await copyHostFiles(incus, NAME, claudeCopies(), UID);
    expect(inside('/home/code/.claude/.credentials.json')).toEqual({
      content: LOGIN,
      uid: UID,
      gid: UID,
      mode: 0o600,
    });
    expect(records).toEqual([
      {
        host,
        container: '/home/code/.claude/.credentials.json',
        mode: 0o600,
        sha256: createHash('sha256').update(LOGIN).digest('hex'),
      },
    ]);
  });

  it('skips what the host lacks, but still writes the merged settings', async () => {
    const records = await copyHostFiles(incus, NAME, claudeCopies(), UID);
    expect(records).toEqual([]);
    expect(inside('/home/code/.claude/.credentials.json')).toBeUndefined();
    expect(inside('/home/code/.claude/CLAUDE.md')).toBeUndefined();
    const settings = inside('/home/code/.claude/settings.json')!;
    expect(settings.mode).toBe(0o644);
    expect(JSON.parse(settings.content.toString()).skipDangerousModePermissionPrompt).toBe(true);
    expect(inside('/home/code/.claude.json')!.mode).toBe(0o600);
  });

  it("replaces a restored session's copy with the host's, and merges into the restored settings when the host has none", async () => {
    await incus.files.push(NAME, '/home/code/.claude/.credentials.json', 'stale', { mode: 0o644 });
    await incus.files.push(NAME, '/home/code/.claude/settings.json', '{"model":"saved"}');
    hostFile('.claude/.credentials.json', LOGIN);
    await copyHostFiles(incus, NAME, claudeCopies(), UID);
    expect(inside('/home/code/.claude/.credentials.json')).toMatchObject({
      content: LOGIN,
      mode: 0o600,
    });
    const settings = JSON.parse(inside('/home/code/.claude/settings.json')!.content.toString());
    expect(settings).toMatchObject({ model: 'saved', skipDangerousModePermissionPrompt: true });
  });

  it("merges into the host's settings and follows a symlinked one", async () => {
    const real = hostFile('dotfiles/claude-settings.json', '{"model":"host"}');
    mkdirSync(join(hostHome, '.claude'), { recursive: true });
    symlinkSync(real, join(hostHome, '.claude/settings.json'));
    await copyHostFiles(incus, NAME, claudeCopies(), UID);
    const settings = JSON.parse(inside('/home/code/.claude/settings.json')!.content.toString());
    expect(settings.model).toBe('host');
  });

  it('copies a [[credentials]] directory file by file, without following symlinks', async () => {
    hostFile('.aws/credentials', '[default]\nkey = k\n');
    hostFile('.aws/sso/cache/token.json', '{}');
    symlinkSync('/etc/passwd', join(hostHome, '.aws/passwd'));
    const copies = planHostCopies({
      tool: genericTool('agent'),
      bundles: [
        { host: join(hostHome, '.aws'), container: '~/.aws', mode: '0600', write_back: false },
      ],
      permissionMode: 'bypass',
      hostHome,
      home: '/home/code',
    });
    await copyHostFiles(incus, NAME, copies, UID);
    expect([...incus.instances.filesOf.get(NAME)!.keys()].sort()).toEqual([
      '/home/code/.aws/credentials',
      '/home/code/.aws/sso/cache/token.json',
    ]);
    expect(inside('/home/code/.aws/credentials')!.mode).toBe(0o600);
  });

  it('refuses write_back on a directory, naming the bundle', async () => {
    mkdirSync(join(hostHome, '.aws'));
    const copies = planHostCopies({
      tool: genericTool('agent'),
      bundles: [
        { host: join(hostHome, '.aws'), container: '~/.aws', mode: '0600', write_back: true },
      ],
      permissionMode: 'bypass',
      hostHome,
      home: '/home/code',
    });
    const copying = copyHostFiles(incus, NAME, copies, UID);
    await expect(copying).rejects.toThrow(HostCopyError);
    await expect(copying).rejects.toThrow(/\[\[credentials\]\] #1: .*\.aws is a directory/);
  });
});

describe('writeSystemFiles', () => {
  it('writes them owned by root, world-readable', async () => {
    await writeSystemFiles(incus, NAME, claude.systemFiles!({ permissionMode: 'bypass' }));
    expect(inside('/etc/claude-code/managed-settings.json')).toMatchObject({
      uid: 0,
      gid: 0,
      mode: 0o644,
    });
  });
});
