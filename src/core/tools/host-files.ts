import {
  mergeClaudeSettings,
  reduceClaudeJson,
  sentinelClaudeJson,
  sentinelClaudeLogin,
  sentinelClaudeSettings,
} from './claude-settings.js';
import { mergeCodexConfig } from './codex-config.js';
import type { HostFile } from './types.js';

/**
 * The host files each agent needs in a session (its login and its settings), relative to the
 * home.
 */

export const claudeHostFiles: readonly HostFile[] = [
  {
    path: '.claude/.credentials.json',
    secret: true,
    writeBack: true,
    sentinel: sentinelClaudeLogin,
  },
  { path: '.claude/settings.json', merge: mergeClaudeSettings, sentinel: sentinelClaudeSettings },
  { path: '.claude/settings.local.json' },
  // The sandbox block is merged in with the other context files (ClaudeAdapter.homeFiles).
  { path: '.claude/CLAUDE.md' },
  {
    path: '.claude.json',
    secret: true,
    merge: reduceClaudeJson,
    sentinel: sentinelClaudeJson,
  },
];

export const codexHostFiles: readonly HostFile[] = [
  { path: '.codex/auth.json', secret: true, writeBack: true },
  { path: '.codex/config.toml', merge: mergeCodexConfig },
];

export const opencodeHostFiles: readonly HostFile[] = [
  { path: '.local/share/opencode/auth.json', secret: true, writeBack: true },
  // Its permissions and instructions are merged in by the adapter's homeFiles.
  { path: '.config/opencode/opencode.json' },
  { path: '.config/opencode/tui.json' },
];

/** pi and omp (its fork) keep the same files, under `~/.pi/agent` and `~/.omp/agent`. */
function piLike(dir: string): readonly HostFile[] {
  return [
    { path: `${dir}/auth.json`, secret: true, writeBack: true },
    { path: `${dir}/settings.json` },
    { path: `${dir}/models.json` },
    { path: `${dir}/AGENTS.md` },
  ];
}

export const piHostFiles = piLike('.pi/agent');
/** omp also keeps its logins in a database and its settings in YAML. */
export const ompHostFiles: readonly HostFile[] = [
  ...piLike('.omp/agent'),
  { path: '.omp/agent/agent.db', secret: true, writeBack: true },
  { path: '.omp/agent/config.yml' },
  { path: '.omp/agent/models.yml' },
];

/** aider keeps its settings, often with API keys, in one YAML file in the home. */
export const aiderHostFiles: readonly HostFile[] = [{ path: '.aider.conf.yml', secret: true }];
