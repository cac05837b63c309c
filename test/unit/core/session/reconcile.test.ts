import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionClaims } from '../../../../src/core/session/claim.js';
import { hostLocks } from '../../../../src/core/session/host-locks.js';
import {
  endStoppedSession,
  isLeftoverSession,
  leftoverSessions,
  releaseStaleLocks,
} from '../../../../src/core/session/reconcile.js';
import { toCoiContainer } from '../../../../src/shared/coi-container.js';
import { containerName } from '../../../../src/shared/naming.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

const PREFIX = 'coi-t-';
const NAME = containerName('/ws/a', 1, PREFIX);
const SESSION = { 'user.coi.launched_by': 'session', 'user.coi.persistent': 'false' };
const RAN = { 'volatile.last_state.power': 'STOPPED' };

const dirs: string[] = [];
function coiDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coi-reconcile-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function container(status: 'Running' | 'Stopped', config: Record<string, string>) {
  const incus = new FakeIncus([{ name: NAME, status, config }]);
  return toCoiContainer(await incus.instances.getFull(NAME), PREFIX)!;
}

describe('isLeftoverSession', () => {
  it.each([
    ['an ephemeral session that ran and stopped', 'Stopped', { ...SESSION, ...RAN }, true],
    ['one still running', 'Running', { ...SESSION, ...RAN }, false],
    ['one created but never started', 'Stopped', SESSION, false],
    [
      'a persistent session',
      'Stopped',
      { ...SESSION, ...RAN, 'user.coi.persistent': 'true' },
      false,
    ],
    ['a container of `coi container launch`', 'Stopped', RAN, false],
  ] as const)('%s → %s', async (_what, status, config, expected) => {
    expect(isLeftoverSession(await container(status, config))).toBe(expected);
  });
});

describe('leftoverSessions', () => {
  it('are the stopped ephemeral sessions of this coi home that nobody waits on', async () => {
    const dir = coiDir();
    const stopped = await container('Stopped', { ...SESSION, ...RAN });
    expect(await leftoverSessions([stopped], dir)).toEqual([]);
    const claim = await sessionClaims(dir).claim(NAME);
    expect(await leftoverSessions([stopped], dir)).toEqual([]);
    claim.release();
    expect((await leftoverSessions([stopped], dir)).map((c) => c.name)).toEqual([NAME]);
  });
});

describe('endStoppedSession', () => {
  const stoppedSession = () =>
    new FakeIncus([{ name: NAME, status: 'Stopped', config: { ...SESSION, ...RAN } }]);

  it('deletes a detached session (its launcher killed) and forgets it', async () => {
    const dir = coiDir();
    const incus = stoppedSession();
    mkdirSync(join(dir, 'claims'));
    writeFileSync(join(dir, 'claims', `${NAME}.pid`), String(spawnSync('true').pid));
    const ended = await endStoppedSession(incus, NAME, dir);
    expect(ended).toMatchObject({ existed: true, deleted: true });
    expect(await incus.instances.exists(NAME)).toBe(false);
    expect(await sessionClaims(dir).state(NAME)).toBe('unknown');
  });

  it('leaves a session to the live process that waits on it', async () => {
    const dir = coiDir();
    const incus = stoppedSession();
    const claim = await sessionClaims(dir).claim(NAME);
    try {
      expect(await endStoppedSession(incus, NAME, dir)).toBe('attended');
      expect(await incus.instances.exists(NAME)).toBe(true);
    } finally {
      claim.release();
    }
  });

  it('never ends a session another coi home launched', async () => {
    const incus = stoppedSession();
    expect(await endStoppedSession(incus, NAME, coiDir())).toBe('unknown');
    expect(await incus.instances.exists(NAME)).toBe(true);
  });
});

describe('releaseStaleLocks', () => {
  it('releases the records of containers that are gone or stopped, not of running ones', async () => {
    const dir = coiDir();
    const running = containerName('/ws/a', 2, PREFIX);
    const stopped = containerName('/ws/a', 3, PREFIX);
    const incus = new FakeIncus([
      { name: running, status: 'Running' },
      { name: stopped, status: 'Stopped' },
    ]);
    const locks = hostLocks(dir);
    for (const name of [NAME, running, stopped]) await locks.lock(name, [join(dir, name)]);
    expect((await releaseStaleLocks(incus, locks)).sort()).toEqual([NAME, stopped].sort());
    expect(await locks.containers()).toEqual([running]);
  });
});
