import { describe, expect, it } from 'vitest';
import { existingContainer, runningSession } from '../../../../src/core/session/reattach.js';
import { containerName, sessionIdentity } from '../../../../src/shared/naming.js';
import { FakeIncus, runResult } from '../../../helpers/fake-incus.js';

const PREFIX = 'coi-unit-';
const WORKSPACE = '/home/dev/project';
const slotName = (slot: number) => containerName(WORKSPACE, slot, PREFIX);

/** A host whose containers answer `id -u` with 1000 and `tmux has-session` for `withTmux`. */
function host(seed: ConstructorParameters<typeof FakeIncus>[0], withTmux: string[]) {
  const incus = new FakeIncus(seed);
  incus.exec.answer((instance, argv) => {
    if (argv[0] === 'id') return runResult(0, '1000\n');
    if (argv[0] === 'tmux') return runResult(withTmux.includes(instance) ? 0 : 1);
    return undefined;
  });
  return incus;
}

const where = (slot?: number) => ({ identity: WORKSPACE, prefix: PREFIX, slot });

describe('runningSession: what `coi shell` reattaches to', () => {
  it('slot 1 of the workspace when it runs with its tmux session, or the slot asked for', async () => {
    const incus = host(
      [
        { name: slotName(1), status: 'Running' },
        { name: slotName(2), status: 'Running' },
      ],
      [slotName(1), slotName(2)],
    );
    expect(await runningSession(incus, where())).toEqual({
      container: slotName(1),
      codeUid: 1000,
      codeUser: 'code',
      hasTmux: true,
    });
    expect((await runningSession(incus, where(2)))?.container).toBe(slotName(2));
    expect(await runningSession(incus, where(3))).toBeUndefined();
  });

  it('nothing when slot 1 is stopped or has no tmux session (a `coi run` box): a new slot then', async () => {
    const stopped = host([{ name: slotName(1), status: 'Stopped' }], [slotName(1)]);
    expect(await runningSession(stopped, where())).toBeUndefined();
    const noTmux = host([{ name: slotName(1), status: 'Running' }], []);
    expect(await runningSession(noTmux, where())).toBeUndefined();
  });

  it('finds the containers of a session_name, not of the workspace path', async () => {
    const identity = sessionIdentity('/elsewhere/checkout', 'shared');
    const named = containerName(identity, 1, PREFIX);
    const incus = host([{ name: named, status: 'Running' }], [named]);
    expect((await runningSession(incus, { identity, prefix: PREFIX }))?.container).toBe(named);
    expect(await runningSession(incus, where())).toBeUndefined();
  });
});

describe('existingContainer: `coi shell --container NAME`', () => {
  it('enters a running container as it is, with or without a tmux session', async () => {
    const incus = host(
      [
        { name: 'box', status: 'Running', config: { 'user.coi.code_user': 'dev' } },
        { name: 'other', status: 'Running' },
      ],
      ['box'],
    );
    expect(await existingContainer(incus, 'box')).toEqual({
      container: 'box',
      codeUid: 1000,
      codeUser: 'dev',
      hasTmux: true,
    });
    expect((await existingContainer(incus, 'other')).hasTmux).toBe(false);
    // As it is: read and asked, nothing changed.
    expect(
      incus.calls.filter((c) => /^instances\.(start|stop|update|create|delete)/.test(c)),
    ).toEqual([]);
  });

  it('refuses a missing or stopped container, saying how to go on', async () => {
    const incus = host([{ name: 'box', status: 'Stopped' }], []);
    await expect(existingContainer(incus, 'nope')).rejects.toThrow(
      'container nope (from --container) does not exist (see `coi list`)',
    );
    await expect(existingContainer(incus, 'box')).rejects.toThrow(
      'container box (from --container) is stopped, not running: start it with `coi container start box`',
    );
  });
});
