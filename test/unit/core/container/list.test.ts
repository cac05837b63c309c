import { describe, expect, it, vi } from 'vitest';
import { listCoiContainers, quickListCoiContainers } from '../../../../src/core/container/list.js';
import { IncusNotFoundError } from '../../../../src/incus/errors.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

const PREFIX = 'coi-';
const seed = () =>
  new FakeIncus([
    { name: 'coi-0123abcd-2', status: 'Running', config: { 'user.coi.workspace': '/b' } },
    { name: 'coi-0123abcd-1', status: 'Stopped', config: { 'user.coi.workspace': '/b' } },
    { name: 'coi-89abcdef-1', status: 'Frozen', config: { 'user.coi.workspace': '/a' } },
    { name: 'web', status: 'Running' },
  ]);
const shown = (list: { name: string; status: string; workspace: string; slot: number }[]) =>
  list.map(({ name, status, workspace, slot }) => ({ name, status, workspace, slot }));

describe('quickListCoiContainers', () => {
  it('lists what listCoiContainers lists, asking only the live coi containers for their state', async () => {
    const incus = seed();
    const quick = await quickListCoiContainers(incus, PREFIX);
    expect(incus.calls).toEqual([
      'instances.list',
      'instances.state coi-0123abcd-2',
      'instances.state coi-89abcdef-1',
    ]);
    expect(shown(quick)).toEqual(shown(await listCoiContainers(incus, PREFIX)));
    expect(quick.map((c) => c.name)).toEqual([
      'coi-89abcdef-1',
      'coi-0123abcd-1',
      'coi-0123abcd-2',
    ]);
    expect(quick.find((c) => c.status === 'Running')?.instance.state?.status).toBe('Running');
  });

  it('leaves out a container deleted between the list and its state', async () => {
    const incus = seed();
    vi.spyOn(incus.instances, 'state').mockRejectedValueOnce(
      new IncusNotFoundError('Instance not found', 404),
    );
    const quick = await quickListCoiContainers(incus, PREFIX);
    expect(quick.map((c) => c.name)).toEqual(['coi-89abcdef-1', 'coi-0123abcd-1']);
  });

  it('orders one workspace by slot without the collation, whose first use costs ~7 ms', async () => {
    const incus = new FakeIncus(
      [3, 1, 2].map((slot) => ({
        name: `coi-0123abcd-${slot}`,
        status: 'Stopped',
        config: { 'user.coi.workspace': '/b' },
      })),
    );
    const collate = vi.spyOn(String.prototype, 'localeCompare');
    try {
      const quick = await quickListCoiContainers(incus, PREFIX);
      expect(quick.map((c) => c.slot)).toEqual([1, 2, 3]);
      expect(collate).not.toHaveBeenCalled();
    } finally {
      collate.mockRestore();
    }
  });
});
