import { mkdtempSync, rmSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { SlotViewActions } from '../../../../src/core/control-room/slot-view-actions.js';
import type { SlotViewData } from '../../../../src/core/control-room/slot-view-types.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function views(incus: FakeIncus) {
  const coiDir = mkdtempSync(join(tmpdir(), 'coi-views-'));
  dirs.push(coiDir);
  return {
    coiDir,
    actions: new SlotViewActions({ incus, coiDir, prefix: 'coi', intervalMs: { snapshots: 10 } }),
  };
}

/** The data the watch delivers until `until` holds for one of them; then the watch stops. */
async function watchUntil(
  actions: SlotViewActions,
  view: SlotViewData['view'],
  name: string,
  until: (d: SlotViewData) => boolean,
  meanwhile: () => Promise<void> = async () => {},
): Promise<SlotViewData> {
  let stop = () => {};
  const found = new Promise<SlotViewData>((resolve, reject) => {
    stop = actions.watch(view, name, {
      onData: (d) => (until(d) ? resolve(d) : undefined),
      onError: (message) => reject(new Error(message)),
    });
  });
  await meanwhile();
  try {
    return await found;
  } finally {
    stop();
  }
}

describe('SlotViewActions', () => {
  test('the snapshots view is read again: a snapshot made meanwhile shows up', async () => {
    const incus = new FakeIncus([{ name: 'box', snapshots: ['snap-1'] }]);
    const { actions } = views(incus);
    const data = await watchUntil(
      actions,
      'snapshots',
      'box',
      (d) => d.view === 'snapshots' && d.snapshots.length === 2,
      async () => void (await (await incus.snapshots.create('box', { name: 'snap-2' })).wait()),
    );
    expect(data.view === 'snapshots' && data.snapshots.map((s) => s.name)).toEqual([
      'snap-1',
      'snap-2',
    ]);
  });

  test('the logs view has the session log, then the lines added to it', async () => {
    const { actions, coiDir } = views(new FakeIncus([{ name: 'box' }]));
    await mkdir(join(coiDir, 'logs'), { recursive: true });
    await appendFile(join(coiDir, 'logs', 'box.stdout.log'), 'first\n');
    await appendFile(join(coiDir, 'logs', 'box.stderr.log'), 'bad\n');
    const data = await watchUntil(
      actions,
      'logs',
      'box',
      (d) => d.view === 'logs' && d.lines.includes('later'),
      async () => {
        await new Promise((r) => setTimeout(r, 50));
        await appendFile(join(coiDir, 'logs', 'box.stdout.log'), 'later\n');
      },
    );
    expect(data).toEqual({
      view: 'logs',
      container: 'box',
      lines: ['first', '[ERR] bad', 'later'],
    });
  });

  test('restore with stop-first refuses an ephemeral session and stops nothing', async () => {
    const incus = new FakeIncus([
      { name: 'box', snapshots: ['snap-1'], config: { 'user.coi.launched_by': 'session' } },
    ]);
    const { actions } = views(incus);
    await expect(actions.restoreSnapshot('box', 'snap-1', true)).rejects.toThrow(
      'box is an ephemeral session: stopping it would end it',
    );
    expect((await incus.instances.get('box')).value.status).toBe('Running');
  });

  test('restore without stop-first on a running container says to stop it', async () => {
    const incus = new FakeIncus([{ name: 'box', snapshots: ['snap-1'] }]);
    await expect(views(incus).actions.restoreSnapshot('box', 'snap-1', false)).rejects.toThrow(
      /box is running: stop it first/,
    );
  });
});
