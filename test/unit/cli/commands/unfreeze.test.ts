import { beforeEach, describe, expect, it, vi } from 'vitest';
import { unfreezeCommand } from '../../../../src/cli/commands/unfreeze.js';
import { readCoiKeys } from '../../../../src/shared/instance-keys.js';
import { containerName } from '../../../../src/shared/naming.js';
import { FakeContainers } from '../../../helpers/fake-containers.js';

const PREFIX = 'coi-t-';
const frozenByThreat = containerName('/ws/a', 1, PREFIX);
const paused = containerName('/ws/a', 2, PREFIX);
const running = containerName('/ws/b', 1, PREFIX);

const threat = { 'user.coi.frozen_by': 'threat' };
const fake = () =>
  new FakeContainers([
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
    const c = incus.container(frozenByThreat);
    expect(c.status).toBe('Running');
    expect(readCoiKeys(c.config).frozenBy).toBe('');
    expect(incus.container(paused).status).toBe('Frozen');
  });

  it('with no name resumes every frozen coi container and leaves the running ones alone', async () => {
    const incus = fake();
    await unfreezeCommand(incus, PREFIX, undefined);
    expect(incus.container(frozenByThreat).status).toBe('Running');
    expect(incus.container(frozenByThreat).config).toEqual({});
    expect(incus.container(paused).status).toBe('Running');
    expect(incus.calls).not.toContain(`instances.patch ${running}`);
    expect(incus.container(running).config).toEqual(threat);
  });

  it('refuses a name that is not a frozen coi container', async () => {
    await expect(unfreezeCommand(fake(), PREFIX, running)).rejects.toThrow(
      `${running} is not a frozen coi container`,
    );
  });
});
