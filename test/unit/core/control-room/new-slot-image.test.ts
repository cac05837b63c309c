import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoomActions } from '../../../../src/core/control-room/actions.js';
import { baseImageAlias } from '../../../../src/core/image/recipe.js';
import { FakeIncus } from '../../../helpers/fake-incus.js';

let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'coi-room-image-'));
  // The room reads the workspace's config, user files included: an empty home.
  vi.stubEnv('HOME', home);
});

afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

/** A room on a host whose images are `present`. */
function room(present: string[]) {
  const incus = new FakeIncus();
  Object.assign(incus, {
    images: { exists: (alias: string) => Promise.resolve(present.includes(alias)) },
  });
  return {
    incus,
    room: new RoomActions({ incus, coiDir: join(home, '.coi'), prefix: 'coi-unit-' }),
  };
}

describe('control room: the image of a new slot', () => {
  it('reports a missing coi-default as buildable, with how long the build takes', async () => {
    const { room: actions } = room([]);
    expect(await actions.slotImage(home)).toEqual({
      image: 'coi-default',
      missing: true,
      buildable: true,
      estimate: 'about 10 minutes',
    });
  });

  it('never launches a slot without it (the base image has no agent): no container is made', async () => {
    const { incus, room: actions } = room([baseImageAlias()]);
    await expect(actions.newSlot(home)).rejects.toThrow(
      'coi-default is not built, so a new slot would have no agent: build it first',
    );
    expect(incus.calls.filter((c) => c.startsWith('instances.create'))).toEqual([]);
  });

  it('lets the base image stand in when the configured binary is its stand-in agent (the test bed)', async () => {
    mkdirSync(join(home, '.coi'), { recursive: true });
    writeFileSync(join(home, '.coi/config.toml'), '[tool]\nbinary = "coi-standin"\n');
    expect((await room([baseImageAlias()]).room.slotImage(home)).missing).toBe(false);
    expect((await room([]).room.slotImage(home)).missing).toBe(true);
  });
});
