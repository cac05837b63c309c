import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkSessionId,
  containerName,
  containerPrefix,
  isValidSessionId,
  lowestFreeSlot,
  newSessionId,
  NoFreeSlotError,
  parseContainerName,
  sessionIdentity,
  tmuxSessionName,
  workspaceHash,
} from '../../../src/shared/naming.js';

const shellHash = (path: string) =>
  execFileSync('sh', ['-c', 'printf %s "$1" | sha256sum | cut -c1-8', 'sh', path], {
    encoding: 'utf8',
  }).trim();

describe('naming', () => {
  it('hashes the absolute workspace path like `printf %s /abs/path | sha256sum | cut -c1-8`', () => {
    for (const path of ['/home/user/project', '/work/main', '/tmp/with space/ü']) {
      expect(workspaceHash(path)).toBe(shellHash(path));
    }
    expect(workspaceHash('/a/b/../c/')).toBe(shellHash('/a/c'));
    expect(workspaceHash('relative')).toBe(shellHash(join(process.cwd(), 'relative')));
  });

  it('does not resolve symlinks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coi-naming-'));
    try {
      symlinkSync(tmpdir(), join(dir, 'link'));
      expect(workspaceHash(join(dir, 'link'))).toBe(shellHash(join(dir, 'link')));
      expect(workspaceHash(join(dir, 'link'))).not.toBe(workspaceHash(tmpdir()));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('builds and parses container names', () => {
    const hash = shellHash('/w');
    expect(containerName('/w', 1, 'coi-')).toBe(`coi-${hash}-1`);
    expect(containerName('/w', 10, 'coi-test-run1-')).toBe(`coi-test-run1-${hash}-10`);
    expect(() => containerName('/w', 11, 'coi-')).toThrow(RangeError);
    expect(() => containerName('/w', 0, 'coi-')).toThrow(RangeError);

    expect(parseContainerName(`coi-${hash}-7`, 'coi-')).toEqual({ hash, slot: 7 });
    expect(parseContainerName(`coi-${hash}-10`, 'coi-')).toEqual({ hash, slot: 10 });
    for (const other of [
      `coi-${hash}-11`,
      `coi-${hash}-0`,
      `coi-${hash}-01`,
      `coi-${hash.toUpperCase()}-1`,
      `coi-${hash}1-1`,
      `xcoi-${hash}-1`,
      `coi-test-${hash}-1`,
    ]) {
      expect(parseContainerName(other, 'coi-'), other).toBeUndefined();
    }
    expect(parseContainerName(`a.b-${hash}-2`, 'a.b-')).toEqual({ hash, slot: 2 });
    expect(parseContainerName(`axb-${hash}-2`, 'a.b-')).toBeUndefined();
  });

  it('takes the prefix from COI_CONTAINER_PREFIX and checks it', () => {
    expect(containerPrefix({})).toBe('coi-');
    expect(containerPrefix({ COI_CONTAINER_PREFIX: '' })).toBe('coi-');
    expect(containerPrefix({ COI_CONTAINER_PREFIX: 'coi-test-abc-' })).toBe('coi-test-abc-');
    expect(() => containerPrefix({ COI_CONTAINER_PREFIX: 'Bad_' })).toThrow(
      /^COI_CONTAINER_PREFIX: expected lowercase letters.*; got "Bad_"$/,
    );
  });

  it('picks the lowest free slot for this workspace, ignoring other workspaces and names', () => {
    const mine = (slot: number) => containerName('/w', slot, 'coi-');
    const theirs = containerName('/other', 1, 'coi-');
    expect(lowestFreeSlot('/w', [], 'coi-')).toBe(1);
    expect(lowestFreeSlot('/w', [mine(1), mine(2), mine(4), theirs, 'web'], 'coi-')).toBe(3);
    const all = Array.from({ length: 10 }, (_, i) => mine(i + 1));
    expect(lowestFreeSlot('/w', all.slice(1), 'coi-')).toBe(1);
    expect(() => lowestFreeSlot('/w', all, 'coi-')).toThrow(NoFreeSlotError);
    expect(() => lowestFreeSlot('/w', all, 'coi-')).toThrow(/all 10 slots for \/w are in use/);
  });

  it('names tmux sessions and validates session ids', () => {
    expect(tmuxSessionName('coi-abcdef12-1')).toBe('coi-coi-abcdef12-1');
    const id = newSessionId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isValidSessionId(id)).toBe(true);
    expect(isValidSessionId('a')).toBe(true);
    expect(isValidSessionId('my.session_2-x')).toBe(true);
    expect(isValidSessionId('a'.repeat(64))).toBe(true);
    for (const bad of ['', '-a', '.a', 'a'.repeat(65), 'a/b', '../x', 'a b']) {
      expect(isValidSessionId(bad), bad).toBe(false);
    }
  });

  it('checks ids from outside, naming where they came from', () => {
    expect(checkSessionId('abc-1', '--resume', 'usage')).toBe('abc-1');
    expect(() => checkSessionId('a/b', '--resume', 'usage')).toThrow(
      /^--resume: "a\/b" is not a session id \(letters/,
    );
    expect(() => checkSessionId('a/b', '--resume', 'usage')).toThrow(
      expect.objectContaining({ kind: 'usage' }),
    );
    expect(() => checkSessionId('', 'user.coi.session_id')).toThrow(
      expect.objectContaining({ kind: 'failure' }),
    );
  });

  it('hashes `session-name:<name>` instead of the path when [container] session_name is set', () => {
    expect(sessionIdentity('/a/checkout')).toBe('/a/checkout');
    expect(sessionIdentity('/a/checkout', 'web')).toBe('session-name:web');
    const named = sessionIdentity('/a/checkout', 'web');
    expect(workspaceHash(named)).toBe(shellHash('session-name:web'));
    expect(containerName(named, 2, 'coi-')).toBe(`coi-${shellHash('session-name:web')}-2`);
    expect(containerName(sessionIdentity('/b/other', 'web'), 2, 'coi-')).toBe(
      containerName(named, 2, 'coi-'),
    );
    expect(lowestFreeSlot(named, [containerName(named, 1, 'coi-')], 'coi-')).toBe(2);
  });
});
