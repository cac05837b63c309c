import { beforeEach, describe, expect, it, vi } from 'vitest';
import { unfreezeCommand } from '../../../../src/cli/commands/unfreeze.js';
import { readCoiKeys } from '../../../../src/shared/instance-keys.js';
import { containerName } from '../../../../src/shared/naming.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

const PREFIX = 'coi-t-';
const frozenByThreat = containerName('/ws/a', 1, PREFIX);
const paused = containerName('/ws/a', 2, PREFIX);
const running = containerName('/ws/b', 1, PREFIX);

const threat = { 'user.coi.frozen_by': 'threat' };
const fake = () =>
  new FakeIncus([
    { name: frozenByThreat, status: 'Frozen', config: { ...threat } },
    { name: paused, status: 'Frozen' },
    { name: running, status: 'Running', config: { ...threat } },
  ]);

beforeEach(() => {
  vi.spyOn(process.stderr, 'write').mockReturnValue(true);
});

describe('coi unfreeze', () => {
  it('clears the threat marker of the container it resumes', async () => {
    const incus = fake();
    await unfreezeCommand(incus, PREFIX, frozenByThreat);
    const c = incus.instances.all.get(frozenByThreat);
    expect(c?.status).toBe('Running');
    expect(readCoiKeys(c?.config ?? {}).frozenBy).toBe('');
    expect(incus.instances.all.get(paused)?.status).toBe('Frozen');
  });

  it('with no name resumes every frozen coi container and leaves the running ones alone', async () => {
    const incus = fake();
    await unfreezeCommand(incus, PREFIX, undefined);
    expect(incus.instances.all.get(frozenByThreat)?.status).toBe('Running');
    expect(incus.instances.all.get(frozenByThreat)?.config).toEqual({});
    expect(incus.instances.all.get(paused)?.status).toBe('Running');
    expect(incus.calls).not.toContain(`instances.patch ${running}`);
    expect(incus.instances.all.get(running)?.config).toEqual(threat);
  });

  it('refuses a name that is not a frozen coi container, saying which it is', async () => {
    await expect(unfreezeCommand(fake(), PREFIX, running)).rejects.toThrow(
      `container ${running} is not frozen (status: Running)`,
    );
    await expect(unfreezeCommand(fake(), PREFIX, 'coi-t-gone')).rejects.toThrow(
      'container coi-t-gone not found: no such coi container',
    );
  });

  it('says what it did in the Go coi’s words', async () => {
    const said = vi.mocked(process.stderr.write);
    said.mockClear();
    await unfreezeCommand(fake(), PREFIX, undefined);
    expect(said.mock.calls.map(([line]) => line)).toEqual([
      `Unfroze container: ${frozenByThreat}\n`,
      `Unfroze container: ${paused}\n`,
      'Unfroze 2 container(s)\n',
    ]);
    said.mockClear();
    await unfreezeCommand(new FakeIncus([]), PREFIX, undefined);
    expect(said.mock.calls.map(([line]) => line)).toEqual(['No frozen Coi containers found\n']);
  });
});
