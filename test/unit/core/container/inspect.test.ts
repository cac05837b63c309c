import { describe, expect, it } from 'vitest';
import { instanceInfo, listInstances } from '../../../../src/core/container/inspect.js';
import { ContainerOpError } from '../../../../src/core/container/lifecycle.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

describe('listInstances', () => {
  it('lists every instance, coi’s or not, by name, with state and snapshots', async () => {
    const incus = new FakeIncus([
      { name: 'zeta', snapshots: ['s1'] },
      { name: 'coi-abcdef12-1', status: 'Stopped' },
      { name: 'alpha' },
    ]);
    const listed = await listInstances(incus);
    expect(listed.map((i) => i.name)).toEqual(['alpha', 'coi-abcdef12-1', 'zeta']);
    expect(listed[1]!.state?.status).toBe('Stopped');
    expect(listed[2]!.snapshots?.map((s) => s.name)).toEqual(['s1']);
  });
});

describe('instanceInfo', () => {
  it('returns the instance with its state', async () => {
    const info = await instanceInfo(new FakeIncus([{ name: 'c1' }]), 'c1');
    expect(info).toMatchObject({ name: 'c1', status: 'Running', state: { status: 'Running' } });
  });

  it('says where to look when there is no such container', async () => {
    const missing = instanceInfo(new FakeIncus(), 'ghost');
    await expect(missing).rejects.toThrow(ContainerOpError);
    await expect(missing).rejects.toThrow(
      /container "ghost" does not exist \(`coi container list`/,
    );
  });
});
