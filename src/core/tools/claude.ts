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
  // Claude Code's own order (ANTHROPIC_AUTH_TOKEN, ANTHROPIC_API_KEY, apiKeyHelper,
  // CLAUDE_CODE_OAUTH_TOKEN, the /login file), but OAuth before the API keys (a subscription, not
  // billed per token). It sends the bearer tokens as Authorization and an API key as x-api-key.
  proxyLogins: [
    {
      kind: 'oauth',
      label: 'bearer token',
      domain: 'api.anthropic.com',
      header: 'Authorization',
      format: 'Bearer {}',
      sources: [{ kind: 'env', name: 'ANTHROPIC_AUTH_TOKEN' }],
    },
    {
      kind: 'oauth',
      label: 'OAuth token',
      domain: 'api.anthropic.com',
      header: 'Authorization',
      format: 'Bearer {}',
      sources: [
        // A long-lived token of `claude setup-token`; it wins over the /login file.
        { kind: 'env', name: 'CLAUDE_CODE_OAUTH_TOKEN' },
        {
          kind: 'file',
          file: '.claude/.credentials.json',
          jsonPointer: '/claudeAiOauth/accessToken',
          // Claude Code's own renewal (its public OAuth client), so the host's `claude` and coi
          // share one login: a JSON `refresh_token` grant; its endpoint turns away clients not
          // named claude-cli.
          refresh: {
            tokenUrl: 'https://platform.claude.com/v1/oauth/token',
            clientId: '9d1c250a-e61b-44d9-88ed-5944d1962f5e',
            refreshPointer: '/claudeAiOauth/refreshToken',
            expiresAtPointer: '/claudeAiOauth/expiresAt',
            userAgent: 'claude-cli/2.1.80 (external, cli)',
          },
        },
      ],
    },
    {
      kind: 'api-key',
      label: 'API key',
      domain: 'api.anthropic.com',
      header: 'x-api-key',
      format: '{}',
      // Claude Code's own order among its API keys.
      sources: [
        { kind: 'env', name: 'ANTHROPIC_API_KEY' },
        { kind: 'command-in-file', file: '.claude/settings.json', jsonPointer: '/apiKeyHelper' },
        { kind: 'file', file: '.claude.json', jsonPointer: '/primaryApiKey' },
      ],
      sentinelEnv: ['ANTHROPIC_API_KEY'],
    },
  ],
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
