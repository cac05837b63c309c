import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createProfile,
  deletableProfile,
  deleteProfile,
  profileSummaries,
} from '../../../../src/core/profile/admin.js';
import { makeHost } from '../config/fixture.js';

function setUp() {
  const host = makeHost();
  return { host, ctx: { workspace: host.workspace, home: host.home } };
}

describe('createProfile', () => {
  it('creates a user profile by default and a workspace one with project scope', async () => {
    const { host, ctx } = setUp();
    expect(await createProfile('mine', ctx)).toBe(
      join(host.home, '.coi', 'profiles', 'mine', 'config.toml'),
    );
    const shared = await createProfile('team', ctx, { scope: 'project', inherits: 'mine' });
    expect(shared).toBe(join(host.workspace, '.coi', 'profiles', 'team', 'config.toml'));
    expect(readFileSync(shared, 'utf8')).toContain('inherits = "mine"');
    await expect(createProfile('team', ctx, { scope: 'user' })).rejects.toThrow(
      'profile "team" already exists',
    );
  });
});

describe('deletableProfile', () => {
  it('takes the user profile unless project scope is asked for', async () => {
    const { host, ctx } = setUp();
    await createProfile('mine', ctx);
    await createProfile('team', ctx, { scope: 'project' });
    expect(deletableProfile('mine', ctx).dir).toBe(join(host.home, '.coi', 'profiles', 'mine'));
    expect(() => deletableProfile('team', ctx)).toThrow(
      `profile "team" is not a user profile: it lives in ${join(host.workspace, '.coi', 'profiles', 'team')} (--project deletes it)`,
    );
    expect(() => deletableProfile('mine', ctx, 'project')).toThrow(
      'profile "mine" is not a project profile: it lives in ~/.coi/profiles/mine (--user deletes it)',
    );
    const team = deletableProfile('team', ctx, 'project');
    await deleteProfile(team);
    expect(existsSync(team.dir)).toBe(false);
  });

  it('refuses the built-in profile, a missing one and one another inherits from', async () => {
    const { ctx } = setUp();
    await createProfile('base', ctx);
    await createProfile('child', ctx, { inherits: 'base' });
    expect(() => deletableProfile('default', ctx)).toThrow('"default" is built in');
    expect(() => deletableProfile('ghost', ctx)).toThrow('no profile "ghost"');
    expect(() => deletableProfile('base', ctx)).toThrow(
      'profile "base" is inherited by child; change those first',
    );
  });
});

describe('the built-in hardened profile', () => {
  it('is listed as built-in after the profiles on disk, and one of yours of that name replaces it', async () => {
    const { host, ctx } = setUp();
    await createProfile('mine', ctx, { inherits: 'hardened' });
    const rows = profileSummaries(ctx).map((s) => [s.name, s.source, s.persistent, s.inherits]);
    expect(rows).toEqual([
      ['default', '(built-in)', false, []],
      ['mine', '~/.coi/profiles/mine/config.toml', false, ['hardened']],
      ['hardened', '(built-in)', false, []],
    ]);
    expect(await createProfile('hardened', ctx)).toBe(
      join(host.home, '.coi', 'profiles', 'hardened', 'config.toml'),
    );
    expect(profileSummaries(ctx).map((s) => `${s.name} ${s.source}`)).toEqual([
      'default (built-in)',
      'hardened ~/.coi/profiles/hardened/config.toml',
      'mine ~/.coi/profiles/mine/config.toml',
    ]);
  });

  it('cannot be deleted', () => {
    const { ctx } = setUp();
    expect(() => deletableProfile('hardened', ctx)).toThrow(
      '"hardened" is built in and cannot be deleted',
    );
  });
});
