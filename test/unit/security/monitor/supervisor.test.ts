import { describe, expect, it } from 'vitest';
import type { IncusEvent } from '../../../../src/incus/event-types.js';
import {
  endedFromInside,
  endsWithItsSession,
  SessionSupervisor,
  type SupervisionHooks,
} from '../../../../src/security/monitor/supervisor.js';
import { containerName } from '../../../../src/shared/naming.js';
import { forceDelete } from '../../../../src/core/container/force-delete.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

const PREFIX = 'coi-t-';
const EPHEMERAL = containerName('/ws/a', 1, PREFIX);
const PERSISTENT = containerName('/ws/a', 2, PREFIX);
/** Named like a coi container, made by `coi container launch`: no keys. */
const LAUNCHED = containerName('/ws/b', 1, PREFIX);
const SESSION = { 'user.coi.launched_by': 'session', 'user.coi.persistent': 'false' };
const ROOT = { username: 'root', protocol: 'unix', address: '@' };

function lifecycle(action: string, requestor?: typeof ROOT | null): IncusEvent {
  return {
    type: 'lifecycle',
    timestamp: '2026-11-23T10:00:00Z',
    location: 'none',
    metadata: {
      action,
      source: `/1.0/instances/${EPHEMERAL}`,
      context: null,
      ...(requestor !== undefined ? { requestor } : {}),
    },
  };
}

describe('endedFromInside', () => {
  it.each([
    ['a shutdown nobody asked for (poweroff inside)', lifecycle('instance-shutdown', null), true],
    ['a shutdown without a requestor field', lifecycle('instance-shutdown'), true],
    ['a clean stop through the API', lifecycle('instance-shutdown', ROOT), false],
    ['a forced stop through the API', lifecycle('instance-stopped', ROOT), false],
    ['a stop event without a requestor', lifecycle('instance-stopped', null), false],
    ['a reboot inside', lifecycle('instance-restarted', null), false],
    ['a deletion', lifecycle('instance-deleted', ROOT), false],
    ['a gap in the stream', { type: 'gap', since: 'a', until: 'b', reason: 'x' } as const, false],
  ])('%s → %s', (_what, event: IncusEvent, expected) => {
    expect(endedFromInside(event)).toBe(expected);
  });
});

describe('endsWithItsSession', () => {
  it.each([
    ['a stopped ephemeral session', 'Stopped', SESSION, true],
    ['a running ephemeral session', 'Running', SESSION, false],
    ['a session made persistent', 'Stopped', { ...SESSION, 'user.coi.persistent': 'true' }, false],
    ['a container of `coi container launch`', 'Stopped', {}, false],
    ['an older session without the key', 'Stopped', { 'user.coi.persistent': 'false' }, false],
    ['an unknown launcher', 'Stopped', { 'user.coi.launched_by': 'someone' }, false],
  ])('%s → %s', (_what, status, config: Record<string, string>, expected) => {
    expect(endsWithItsSession({ status, config })).toBe(expected);
  });
});

async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A supervisor on a fake with three coi containers, recording what it asks the hooks to do. */
function supervised(hooks: Partial<SupervisionHooks> = {}, recheckMs = 5) {
  const incus = new FakeIncus([
    { name: EPHEMERAL, config: { ...SESSION } },
    { name: PERSISTENT, config: { ...SESSION, 'user.coi.persistent': 'true' } },
    { name: LAUNCHED },
    { name: 'web-1', config: { ...SESSION } },
  ]);
  const done: string[] = [];
  const logs: string[] = [];
  const supervisor = new SessionSupervisor({
    incus,
    prefix: PREFIX,
    log: (m) => logs.push(m),
    recheckMs,
    hooks: {
      sessionEnded: async (name) => {
        done.push(`ended ${name}`);
        return 'done';
      },
      containerDown: async (name, how) => void done.push(`${how} ${name}`),
      resync: async () => void done.push('resync'),
      ...hooks,
    },
  });
  incus.events.subscribe((event) => supervisor.onEvent(event));
  /** Lets the fake's events arrive, then waits for their work. */
  const settle = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await supervisor.idle();
  };
  return { incus, supervisor, done, logs, settle };
}

describe('SessionSupervisor', () => {
  it('ends an ephemeral session that powered itself off, after releasing its locks', async () => {
    const { incus, done, settle } = supervised();
    incus.powerOffInside(EPHEMERAL);
    await settle();
    expect(done).toEqual([`stopped ${EPHEMERAL}`, `ended ${EPHEMERAL}`]);
  });

  it('leaves a session stopped through the API: only its locks go', async () => {
    const { incus, done, settle } = supervised();
    await (await incus.instances.stop(EPHEMERAL)).wait();
    await settle();
    expect(done).toEqual([`stopped ${EPHEMERAL}`]);
    expect(incus.instances.all.get(EPHEMERAL)?.status).toBe('Stopped');
  });

  it('never ends a persistent session or a container of `coi container launch`', async () => {
    const { incus, done, settle } = supervised();
    incus.powerOffInside(PERSISTENT);
    incus.powerOffInside(LAUNCHED);
    await settle();
    expect(done).toEqual([`stopped ${PERSISTENT}`, `stopped ${LAUNCHED}`]);
  });

  it('releases the locks of a container deleted by anyone, and ignores other containers', async () => {
    const { incus, done, settle } = supervised();
    await (await forceDelete(incus, EPHEMERAL)).wait();
    incus.powerOffInside('web-1');
    await settle();
    // The forced stop, then the deletion; nothing of web-1.
    expect(done).toEqual([`stopped ${EPHEMERAL}`, `deleted ${EPHEMERAL}`]);
  });

  it('does not end a session started again before it got to it', async () => {
    let open = () => undefined as void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { incus, done, settle } = supervised({
      containerDown: async (name, how) => {
        done.push(`${how} ${name}`);
        await gate;
      },
    });
    incus.powerOffInside(EPHEMERAL);
    await new Promise((resolve) => setImmediate(resolve));
    await (await incus.instances.start(EPHEMERAL)).wait();
    open();
    await settle();
    expect(done).toEqual([`stopped ${EPHEMERAL}`]);
  });

  it('asks again about a session a live process waits on, until that process is gone', async () => {
    const answers: Array<'waited-on' | 'done'> = ['waited-on', 'waited-on', 'done'];
    const asked: string[] = [];
    const { incus, supervisor, logs, settle } = supervised({
      sessionEnded: async (name) => {
        asked.push(name);
        return answers.shift()!;
      },
    });
    incus.powerOffInside(EPHEMERAL);
    await settle();
    await until(() => asked.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await supervisor.stop();
    expect(asked).toEqual([EPHEMERAL, EPHEMERAL, EPHEMERAL]);
    expect(logs).toEqual([
      `${EPHEMERAL} powered itself off: left to the coi process that waits on it`,
    ]);
  });

  it('stops asking once the process that waits on it deleted it', async () => {
    let asked = 0;
    const { incus, supervisor, settle } = supervised({
      sessionEnded: async () => {
        asked += 1;
        return 'waited-on';
      },
    });
    incus.powerOffInside(EPHEMERAL);
    await settle();
    await (await incus.instances.delete(EPHEMERAL)).wait();
    await new Promise((resolve) => setTimeout(resolve, 40));
    await supervisor.stop();
    expect(asked).toBe(1);
  });

  it('a second poweroff while it waits does not start a second round of questions', async () => {
    const { incus, supervisor, logs, settle } = supervised(
      { sessionEnded: async () => 'waited-on' },
      60_000,
    );
    incus.powerOffInside(EPHEMERAL);
    await settle();
    await (await incus.instances.start(EPHEMERAL)).wait();
    incus.powerOffInside(EPHEMERAL);
    await settle();
    await supervisor.stop();
    expect(logs).toHaveLength(1);
  });

  it('asks for a resync on a gap in the event stream', async () => {
    const { supervisor, done, settle } = supervised();
    supervisor.onEvent({ type: 'gap', since: 'a', until: 'b', reason: 'reconnect' });
    await settle();
    expect(done).toEqual(['resync']);
  });

  it('does not retry a session it could not end at every later poweroff', async () => {
    let attempts = 0;
    const { incus, logs, settle } = supervised({
      sessionEnded: async () => {
        attempts += 1;
        throw new Error('disk full');
      },
    });
    incus.powerOffInside(EPHEMERAL);
    await settle();
    await (await incus.instances.start(EPHEMERAL)).wait();
    incus.powerOffInside(EPHEMERAL);
    await settle();
    expect(attempts).toBe(1);
    expect(logs.join('\n')).toContain(
      `${EPHEMERAL} powered itself off; ending its session failed: disk full`,
    );
  });

  it('handles one container’s events in order, one at a time', async () => {
    const order: string[] = [];
    let open = () => undefined as void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { incus, settle } = supervised({
      containerDown: async (name, how) => {
        order.push(`${how} ${name} start`);
        if (order.length === 1) await gate;
        order.push(`${how} ${name} end`);
      },
      sessionEnded: async (name) => {
        order.push(`ended ${name}`);
        return 'done';
      },
    });
    incus.powerOffInside(EPHEMERAL);
    await new Promise((resolve) => setImmediate(resolve));
    await (await incus.instances.delete(EPHEMERAL)).wait();
    await new Promise((resolve) => setImmediate(resolve));
    open();
    await settle();
    // The deletion's work waits for the poweroff's; the session was deleted meanwhile: not ended.
    expect(order).toEqual([
      `stopped ${EPHEMERAL} start`,
      `stopped ${EPHEMERAL} end`,
      `deleted ${EPHEMERAL} start`,
      `deleted ${EPHEMERAL} end`,
    ]);
  });
});
