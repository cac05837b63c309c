import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionClaims } from '../../../../src/core/session/claim.js';
import { hostLocks } from '../../../../src/core/session/host-locks.js';
import { writeBackRecords } from '../../../../src/core/session/host-copies/write-back-records.js';
import { sessionSupervision } from '../../../../src/core/session/supervision.js';
import { containerName } from '../../../../src/shared/naming.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

const NAME = containerName('/ws/a', 1, 'coi-t-');
const SESSION = {
  'user.coi.launched_by': 'session',
  'user.coi.persistent': 'false',
  'volatile.last_state.power': 'STOPPED',
};

const dirs: string[] = [];
function coiDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coi-supervision-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('sessionSupervision', () => {
  it('releases the host locks of a stopped container and forgets a deleted one', async () => {
    const dir = coiDir();
    const logs: string[] = [];
    const hooks = sessionSupervision(new FakeIncus(), dir, (m) => logs.push(m));
    await hostLocks(dir).lock(NAME, [join(dir, 'hooks')]);
    (await sessionClaims(dir).claim(NAME)).release();

    await hooks.containerDown(NAME, 'stopped');
    expect(await hostLocks(dir).containers()).toEqual([]);
    expect(logs).toEqual([`released the host locks of ${NAME}`]);
    expect(await sessionClaims(dir).state(NAME)).toBe('detached');

    await hooks.containerDown(NAME, 'deleted');
    expect(await sessionClaims(dir).state(NAME)).toBe('unknown');
  });

  it('forgets the logins a deleted container could have written back (a threat kill ends nothing)', async () => {
    const dir = coiDir();
    const records = writeBackRecords(dir);
    const login = {
      host: '/h/.claude/.credentials.json',
      container: '/c',
      mode: 0o600,
      sha256: 'x',
    };
    await records.save(NAME, [login]);
    const hooks = sessionSupervision(new FakeIncus(), dir, () => undefined);
    await hooks.containerDown(NAME, 'stopped');
    expect(await records.load(NAME)).toEqual([login]);
    await hooks.containerDown(NAME, 'deleted');
    expect(await records.load(NAME)).toEqual([]);
  });

  it('ends a detached session that powered itself off and says so', async () => {
    const dir = coiDir();
    const logs: string[] = [];
    const incus = new FakeIncus([{ name: NAME, status: 'Stopped', config: SESSION }]);
    (await sessionClaims(dir).claim(NAME)).release();
    expect(await sessionSupervision(incus, dir, (m) => logs.push(m)).sessionEnded(NAME)).toBe(
      'done',
    );
    expect(await incus.instances.exists(NAME)).toBe(false);
    expect(logs).toEqual([`${NAME} powered itself off: container deleted`]);
  });

  it('leaves a session its live process waits on to it, to be asked again', async () => {
    const dir = coiDir();
    const logs: string[] = [];
    const incus = new FakeIncus([{ name: NAME, status: 'Stopped', config: SESSION }]);
    const claim = await sessionClaims(dir).claim(NAME);
    const hooks = sessionSupervision(incus, dir, (m) => logs.push(m));
    expect(await hooks.sessionEnded(NAME)).toBe('waited-on');
    expect(await incus.instances.exists(NAME)).toBe(true);
    claim.release();
    expect(await hooks.sessionEnded(NAME)).toBe('done');
    expect(await incus.instances.exists(NAME)).toBe(false);
    expect(logs).toEqual([`${NAME} powered itself off: container deleted`]);
  });

  it('at a resync, releases the locks of containers gone while nobody watched', async () => {
    const dir = coiDir();
    const logs: string[] = [];
    await hostLocks(dir).lock(NAME, [join(dir, 'hooks')]);
    await sessionSupervision(new FakeIncus(), dir, (m) => logs.push(m)).resync();
    expect(await hostLocks(dir).containers()).toEqual([]);
    expect(logs).toEqual([`released the host locks of ${NAME} (gone while nobody watched)`]);
  });
});
