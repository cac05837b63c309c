import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { claude } from '../../../../src/core/tools/claude.js';
import { agentStateHooks } from '../../../../src/core/tools/claude-hooks.js';
import {
  claudeManagedSettings,
  mergeClaudeSettings,
  reduceClaudeJson,
} from '../../../../src/core/tools/claude-settings.js';
import { mergeCodexConfig } from '../../../../src/core/tools/codex-config.js';
import { aider } from '../../../../src/core/tools/aider.js';
import { codex } from '../../../../src/core/tools/codex.js';
import { opencode } from '../../../../src/core/tools/opencode.js';
import { omp, pi } from '../../../../src/core/tools/pi.js';
import type { HostFile } from '../../../../src/core/tools/types.js';

const bypass = { permissionMode: 'bypass' as const };
const interactive = { permissionMode: 'interactive' as const };

const paths = (files: readonly HostFile[] | undefined) => (files ?? []).map((f) => f.path);
const logins = (files: readonly HostFile[] | undefined) =>
  (files ?? []).filter((f) => f.writeBack).map((f) => f.path);

describe('host file declarations', () => {
  it('claude: its login, settings, instructions and the reduced ~/.claude.json', () => {
    expect(paths(claude.hostFiles)).toEqual([
      '.claude/.credentials.json',
      '.claude/settings.json',
      '.claude/settings.local.json',
      '.claude/CLAUDE.md',
      '.claude.json',
    ]);
    expect(logins(claude.hostFiles)).toEqual(['.claude/.credentials.json']);
    const secrets = claude.hostFiles!.filter((f) => f.secret).map((f) => f.path);
    expect(secrets).toEqual(['.claude/.credentials.json', '.claude.json']);
  });

  it('opencode, pi, codex and omp: each login is a secret written back', () => {
    expect(paths(opencode.hostFiles)).toEqual([
      '.local/share/opencode/auth.json',
      '.config/opencode/opencode.json',
      '.config/opencode/tui.json',
    ]);
    expect(paths(pi.hostFiles)).toEqual([
      '.pi/agent/auth.json',
      '.pi/agent/settings.json',
      '.pi/agent/models.json',
      '.pi/agent/AGENTS.md',
    ]);
    expect(paths(codex.hostFiles)).toEqual(['.codex/auth.json', '.codex/config.toml']);
    expect(logins(omp.hostFiles)).toEqual(['.omp/agent/auth.json', '.omp/agent/agent.db']);
    for (const files of [opencode.hostFiles, pi.hostFiles, codex.hostFiles, omp.hostFiles])
      for (const file of files!) expect(file.secret ?? false, file.path).toBe(!!file.writeBack);
  });

  it('aider: its settings file, a secret (API keys live there), never written back', () => {
    expect(aider.hostFiles).toEqual([{ path: '.aider.conf.yml', secret: true }]);
  });
});

describe('claude settings', () => {
  const user = JSON.stringify({
    model: 'opus',
    permissions: { allow: ['Bash(npm test)'], defaultMode: 'default' },
    hooks: { Stop: [] },
  });

  it('merges the bypass settings into the user settings, keeping the rest', () => {
    expect(JSON.parse(mergeClaudeSettings(user, bypass))).toEqual({
      model: 'opus',
      hooks: { Stop: [] },
      skipDangerousModePermissionPrompt: true,
      permissions: { allow: ['Bash(npm test)'], defaultMode: 'bypassPermissions' },
    });
  });

  it('gives coi settings alone without a user file, and never bypass in interactive mode', () => {
    expect(JSON.parse(mergeClaudeSettings(undefined, bypass))).toEqual({
      skipDangerousModePermissionPrompt: true,
      permissions: { defaultMode: 'bypassPermissions' },
    });
    const merged = JSON.parse(mergeClaudeSettings(user, interactive));
    expect(merged.skipDangerousModePermissionPrompt).toBeUndefined();
    expect(merged.permissions).toEqual({
      allow: ['Bash(npm test)'],
      defaultMode: 'default',
      disableBypassPermissionsMode: 'disable',
    });
  });

  it('reduces ~/.claude.json to onboarding and identity, never the projects or history', () => {
    const host = JSON.stringify({
      hasCompletedOnboarding: true,
      oauthAccount: { accountUuid: 'u-1', emailAddress: 'a@example.org' },
      userID: 'abc',
      projects: { '/home/me/secret-project': { history: ['rm -rf'] } },
      history: ['x'],
      numStartups: 12,
    });
    expect(JSON.parse(reduceClaudeJson(host, bypass))).toEqual({
      hasCompletedOnboarding: true,
      bypassPermissionsModeAccepted: true,
      oauthAccount: { accountUuid: 'u-1', emailAddress: 'a@example.org' },
      userID: 'abc',
    });
    expect(JSON.parse(reduceClaudeJson(undefined, interactive))).toEqual({
      hasCompletedOnboarding: true,
    });
  });

  it('states the managed policy at the system path, the same settings the agent cannot undo', () => {
    const [file] = claudeManagedSettings(bypass);
    expect(file!.path).toBe('/etc/claude-code/managed-settings.json');
    expect(JSON.parse(file!.content)).toEqual({
      skipDangerousModePermissionPrompt: true,
      permissions: { defaultMode: 'bypassPermissions' },
      hooks: agentStateHooks(),
    });
    expect(claude.systemFiles!(interactive)).toEqual(claudeManagedSettings(interactive));
  });
});

describe('codex config', () => {
  const user = 'model = "o3"\n\n[mcp_servers.docs]\ncommand = "docs-mcp"\n';

  it('turns approval prompts and the inner sandbox off in bypass mode, keeping the rest', () => {
    expect(parse(mergeCodexConfig(user, bypass)!)).toEqual({
      model: 'o3',
      mcp_servers: { docs: { command: 'docs-mcp' } },
      approval_policy: 'never',
      sandbox_mode: 'danger-full-access',
    });
    expect(parse(mergeCodexConfig('not = [toml', bypass)!)).toEqual({
      approval_policy: 'never',
      sandbox_mode: 'danger-full-access',
    });
  });

  it('leaves the user file as it is in interactive mode', () => {
    expect(mergeCodexConfig(user, interactive)).toBe(user);
    expect(mergeCodexConfig(undefined, interactive)).toBeUndefined();
  });

  it('is what the codex declaration merges with', () => {
    const config = codex.hostFiles!.find((f) => f.path === '.codex/config.toml')!;
    expect(config.merge!(user, bypass)).toBe(mergeCodexConfig(user, bypass));
  });
});
