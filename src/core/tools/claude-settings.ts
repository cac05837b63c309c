import { agentStateHooks } from './claude-hooks.js';
import { jsonText, parseJsonObject } from './json-object.js';
import type { PermissionMode, ProxySentinel, SystemFile } from './types.js';

/**
 * What of the host's `~/.claude.json` the CLI needs to start without onboarding: the onboarding
 * and bypass-mode answers and the account's identity. Never the project history or anything else
 * the host keeps there.
 */
const CLAUDE_JSON_KEYS = [
  'hasCompletedOnboarding',
  'lastOnboardingVersion',
  'bypassPermissionsModeAccepted',
  'oauthAccount',
  'userID',
  'primaryApiKey',
  'customApiKeyResponses',
  'theme',
] as const;

/** What of `~/.claude.json` is an API key or made from one (the CLI's answers name its last 20 characters). */
const API_KEY_KEYS: readonly string[] = ['primaryApiKey', 'customApiKeyResponses'];

/**
 * `~/.claude.json` reduced to CLAUDE_JSON_KEYS, onboarding done (and bypass accepted in bypass
 * mode); `withoutApiKey` leaves the API key out (the login goes by the egress proxy).
 */
export function reduceClaudeJson(
  content: string | undefined,
  { permissionMode, withoutApiKey }: { permissionMode: PermissionMode; withoutApiKey?: boolean },
): string {
  const host = parseJsonObject(content);
  const keys = CLAUDE_JSON_KEYS.filter((key) => !withoutApiKey || !API_KEY_KEYS.includes(key));
  const kept = Object.fromEntries(
    keys.filter((key) => host[key] !== undefined).map((key) => [key, host[key]]),
  );
  return jsonText({
    ...kept,
    hasCompletedOnboarding: true,
    ...(permissionMode === 'bypass' ? { bypassPermissionsModeAccepted: true } : {}),
  });
}

/**
 * `~/.claude.json` for a login the egress proxy sets: no key of the host's; for an API-key login
 * the sentinel as the key, marked approved (the CLI asks once about a key it has not seen).
 */
export function sentinelClaudeJson(
  content: string | undefined,
  { permissionMode, sentinel }: { permissionMode: PermissionMode; sentinel: ProxySentinel },
): string {
  const reduced = reduceClaudeJson(content, { permissionMode, withoutApiKey: true });
  if (sentinel.login !== 'api-key') return reduced;
  return jsonText({
    ...parseJsonObject(reduced),
    primaryApiKey: sentinel.value,
    customApiKeyResponses: { approved: [sentinel.value.slice(-20)], rejected: [] },
  });
}

/** What of the host login's OAuth entry is no secret (the plan it is for). */
const OAUTH_PLAIN_KEYS = ['scopes', 'subscriptionType', 'rateLimitTier'];
/** Far ahead: the CLI inside never refreshes; only the host's login is refreshed. */
const SENTINEL_EXPIRY_MS = Date.UTC(2100, 0, 1);

/**
 * `~/.claude/.credentials.json` for a login the egress proxy sets: the host's plan, every token
 * replaced by the sentinel; for an API-key login, no OAuth login at all (it would win over the key,
 * and a restored session's copy is replaced).
 */
export function sentinelClaudeLogin(
  content: string | undefined,
  { sentinel: { value: sentinel, login } }: { sentinel: ProxySentinel },
): string {
  if (login === 'api-key') return jsonText({});
  const oauth = parseJsonObject(content).claudeAiOauth;
  const host =
    oauth !== null && typeof oauth === 'object' ? (oauth as Record<string, unknown>) : {};
  const plain = OAUTH_PLAIN_KEYS.filter((key) => host[key] !== undefined);
  return jsonText({
    claudeAiOauth: {
      ...Object.fromEntries(plain.map((key) => [key, host[key]])),
      accessToken: sentinel,
      refreshToken: sentinel,
      expiresAt: SENTINEL_EXPIRY_MS,
    },
  });
}

/** coi's sandbox settings, as `~/.claude/settings.json` and the managed policy state them. */
function sandboxSettings(permissionMode: PermissionMode): Record<string, unknown> {
  return permissionMode === 'bypass'
    ? { skipDangerousModePermissionPrompt: true, permissions: { defaultMode: 'bypassPermissions' } }
    : { permissions: { disableBypassPermissionsMode: 'disable' } };
}

/**
 * The user's `~/.claude/settings.json` with coi's sandbox settings merged in (key by key, the
 * user's permission rules kept); without one, coi's alone.
 */
export function mergeClaudeSettings(
  content: string | undefined,
  { permissionMode }: { permissionMode: PermissionMode },
): string {
  const user = parseJsonObject(content);
  const coi = sandboxSettings(permissionMode);
  const permissions = {
    ...(isTable(user.permissions) ? user.permissions : {}),
    ...(coi.permissions as Record<string, unknown>),
  };
  return jsonText({ ...user, ...coi, permissions });
}

/**
 * The settings for a login the egress proxy sets: as mergeClaudeSettings, without the user's
 * `apiKeyHelper` (run inside, it would win over the sentinel login; the proxy runs it on the host).
 */
export function sentinelClaudeSettings(
  content: string | undefined,
  opts: { permissionMode: PermissionMode },
): string {
  const { apiKeyHelper: _onTheHost, ...user } = parseJsonObject(content);
  return mergeClaudeSettings(jsonText(user), opts);
}

export const CLAUDE_MANAGED_SETTINGS = '/etc/claude-code/managed-settings.json';

/**
 * The managed policy, root-owned so the agent cannot change it: it wins over every settings file
 * the agent can write (bypass stays without its prompt, or stays off in interactive mode). Its
 * hooks report the agent's state to the control room (see claude-hooks.ts).
 */
export function claudeManagedSettings({
  permissionMode,
}: {
  permissionMode: PermissionMode;
}): SystemFile[] {
  const settings = { ...sandboxSettings(permissionMode), hooks: agentStateHooks() };
  return [{ path: CLAUDE_MANAGED_SETTINGS, content: jsonText(settings) }];
}

function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
