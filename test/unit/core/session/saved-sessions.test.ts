import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { containerName, sessionIdentity } from '../../../../src/shared/naming.js';
import { SavedSessions } from '../../../../src/core/session/saved-sessions.js';
import type { FileTreeApi } from '../../../../src/incus/file-tree.js';

let coiDir: string;

beforeEach(() => {
  coiDir = mkdtempSync(join(tmpdir(), 'coi-sessions-'));
});
afterEach(() => rmSync(coiDir, { recursive: true, force: true }));

/** A tree client that "pulls" one file into the host directory, and records the pulls. */
function fakeTree(pulls: string[]): FileTreeApi {
  return {
    pull: async (_instance: string, from: string, to: string) => {
      pulls.push(from);
      mkdirSync(to, { recursive: true });
      writeFileSync(join(to, 'state.json'), '{}');
    },
  } as unknown as FileTreeApi;
}

const meta = (session_id: string) => ({
  session_id,
  container_name: 'coi-ab12cd34-1',
  persistent: false,
  workspace: '/w',
  tool: 'claude',
});

function writeSaved(dirName: string, metadata: object): void {
  const dir = join(coiDir, 'sessions-claude', dirName);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metadata.json'), JSON.stringify(metadata));
}

describe('SavedSessions', () => {
  it('saves under sessions-<tool>/<id> and lists it back', async () => {
    const pulls: string[] = [];
    const saved = await new SavedSessions(coiDir).save(
      fakeTree(pulls),
      meta('abc-1'),
      '/home/code',
      '.claude',
    );
    expect(saved.dir).toBe(join(coiDir, 'sessions-claude', 'abc-1'));
    expect(pulls).toEqual(['/home/code/.claude']);
    expect((await new SavedSessions(coiDir).list()).map((s) => s.session_id)).toEqual(['abc-1']);
  });

  it('refuses to save under an id from a container that is not a session id', async () => {
    const pulls: string[] = [];
    const save = new SavedSessions(coiDir).save(
      fakeTree(pulls),
      meta('../../escaped'),
      '/home/code',
      '.claude',
    );
    await expect(save).rejects.toThrow(
      'session id of coi-ab12cd34-1: "../../escaped" is not a session id',
    );
    expect(pulls).toEqual([]);
    expect(existsSync(join(coiDir, 'sessions-claude'))).toBe(false);
    expect(readdirSync(coiDir)).toEqual([]);
  });

  it('does not list saved sessions whose metadata holds no valid id', async () => {
    writeSaved('good', { ...meta('good'), saved_at: '2026-01-01T00:00:00Z' });
    writeSaved('bad', { ...meta('../x'), saved_at: '2026-01-02T00:00:00Z' });
    writeSaved('none', { ...meta('x'), session_id: undefined, saved_at: '2026-01-03T00:00:00Z' });
    const sessions = new SavedSessions(coiDir);
    expect((await sessions.list()).map((s) => s.session_id)).toEqual(['good']);
    expect(await sessions.find('../x')).toBeUndefined();
  });

  it('lists a session_name’s sessions from every checkout, by the hash in their container name', async () => {
    const named = sessionIdentity('/any', 'shared');
    const at = (n: number) => `2026-01-0${n}T00:00:00Z`;
    writeSaved('a', {
      ...meta('a'),
      workspace: '/one',
      container_name: containerName(named, 1, 'coi-'),
      saved_at: at(1),
    });
    writeSaved('b', {
      ...meta('b'),
      workspace: '/two',
      container_name: containerName(named, 2, 'coi-t-'),
      saved_at: at(2),
    });
    writeSaved('c', {
      ...meta('c'),
      workspace: '/one',
      container_name: containerName('/one', 1, 'coi-'),
      saved_at: at(3),
    });
    const sessions = new SavedSessions(coiDir);
    expect((await sessions.list({ identity: named })).map((s) => s.session_id)).toEqual(['b', 'a']);
    expect((await sessions.list({ workspace: '/one' })).map((s) => s.session_id)).toEqual([
      'c',
      'a',
    ]);
  });
});
