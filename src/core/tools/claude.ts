import { claudeManagedSettings } from './claude-settings.js';
import { claudeHostFiles } from './host-files.js';
import { withManagedBlock } from './managed-block.js';
import type { ToolAdapter } from './types.js';

/** Claude Code: `~/.claude` holds its state; `~/.claude/CLAUDE.md` is its user-level memory. */
export const claude: ToolAdapter = {
  name: 'claude',
  defaultBinary: 'claude',
  stateDir: '.claude',
  printMode: true,
  hostFiles: claudeHostFiles,
  // Claude Code sends its OAuth access token as a bearer token to its API.
  proxyLogin: {
    domain: 'api.anthropic.com',
    header: 'Authorization',
    file: '.claude/.credentials.json',
    jsonPointer: '/claudeAiOauth/accessToken',
    format: 'Bearer {}',
    // Claude Code's own renewal (its public OAuth client), so the host's `claude` and coi share
    // one login: a JSON `refresh_token` grant; its endpoint turns away clients not named claude-cli.
    refresh: {
      tokenUrl: 'https://platform.claude.com/v1/oauth/token',
      clientId: '9d1c250a-e61b-44d9-88ed-5944d1962f5e',
      refreshPointer: '/claudeAiOauth/refreshToken',
      expiresAtPointer: '/claudeAiOauth/expiresAt',
      userAgent: 'claude-cli/2.1.80 (external, cli)',
    },
  },
  systemFiles: claudeManagedSettings,
  command(binary, { permissionMode, resume, prompt }) {
    const argv = [binary];
    if (permissionMode === 'bypass') argv.push('--dangerously-skip-permissions');
    if (resume?.kind === 'latest') argv.push('--continue');
    if (resume?.kind === 'id') argv.push('--resume', resume.id);
    if (prompt !== undefined) argv.push('-p', prompt);
    return argv;
  },
  // The environment rather than flags, so that an `incus exec` of another orchestrator gets them too.
  environment({ model, effort }) {
    return {
      ...(model ? { ANTHROPIC_MODEL: model } : {}),
      ...(effort ? { CLAUDE_CODE_EFFORT_LEVEL: effort } : {}),
    };
  },
  homeFiles({ context }, current) {
    const path = '.claude/CLAUDE.md';
    return context === undefined
      ? []
      : [{ path, content: withManagedBlock(current(path), context) }];
  },
};
