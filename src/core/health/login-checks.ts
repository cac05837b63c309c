import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CredentialBundle } from '../config/index.js';
import { displayPath } from '../config/paths.js';
import { toolAdapter } from '../tools/registry.js';
import type { HostFile, ProxyLogin, ToolAdapter } from '../tools/types.js';
import { chooseProxyLogin, sourceName } from '../session/launch/proxy-login.js';
import { ok, warn, type HealthCheck } from './types.js';

/**
 * What replaces a login file for each agent, and how to log in on the host. A tool with logins the
 * egress proxy can set is looked up as the proxy looks them up (its variables among them).
 */
const LOGINS: Record<string, { env?: string[]; login: string }> = {
  claude: { login: 'run `claude` and /login (or `claude setup-token`)' },
  codex: { env: ['OPENAI_API_KEY'], login: 'run `codex login`' },
  opencode: { env: [], login: 'run `opencode auth login`' },
  pi: { env: [], login: 'run `pi` and /login' },
  omp: { env: [], login: 'run `omp` and /login' },
  aider: {
    env: ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'],
    login: 'put an API key in ~/.aider.conf.yml or forward it with [defaults] forward_env',
  },
};

function adapterOf(tool: string): ToolAdapter | undefined {
  try {
    return toolAdapter(tool).adapter;
  } catch {
    // An unknown tool: the config check reports it; there is nothing to copy.
    return undefined;
  }
}

export interface LoginFacts {
  tool: string;
  /** Login files that exist and are not empty, as `~/…` (or the login found, as the proxy names it). */
  found: string[];
  /** The tool's login files, as `~/…` (or every place its logins are looked for). */
  expected: string[];
  /** Forwarded environment variables that carry a key instead (names only). */
  forwarded: string[];
  /** Every host file of the tool (logins and settings) found: each session gets a copy. */
  copied: string[];
}

/** Presence only: the files are never opened, so nothing of their content can be shown. */
export function loginVerdict(facts: Omit<LoginFacts, 'copied'>, login: string) {
  const details = { tool: facts.tool, files: facts.expected, login };
  if (facts.found.length)
    return ok(`${facts.tool}: logged in (${facts.found.join(', ')})`, details);
  if (facts.forwarded.length)
    return ok(`${facts.tool}: key forwarded from the environment (${facts.forwarded.join(', ')})`);
  if (facts.expected.length === 0) return ok(`${facts.tool}: no login file coi knows of`);
  return warn(
    `${facts.tool}: not logged in on this host (${facts.expected.join(', ')} missing)`,
    details,
  );
}

/**
 * Presence only (a non-empty file; for a tool with proxy logins, a non-empty value where the egress
 * proxy would take it): no content is shown. `proxied`: `credentials = "proxy"`, so coi's own
 * environment counts, not only forward_env.
 */
export function loginFacts(
  tool: string,
  forwardEnv: readonly string[],
  home = homedir(),
  env: NodeJS.ProcessEnv = process.env,
  proxied = false,
): LoginFacts {
  const adapter = adapterOf(tool);
  const files = adapter?.hostFiles ?? [];
  const present = (rel: string) => {
    try {
      return statSync(join(home, rel)).size > 0;
    } catch {
      // Missing or unreadable: not a usable login.
      return false;
    }
  };
  const shown = (f: HostFile) => `~/${f.path}`;
  const copied = files.filter((f) => present(f.path)).map(shown);
  if (adapter?.proxyLogins) {
    const reaching = proxied
      ? env
      : Object.fromEntries(forwardEnv.map((name) => [name, env[name]]));
    return { tool, copied, ...proxyLoginFacts(adapter.proxyLogins, reaching, home, proxied) };
  }
  const logins = files.filter((f) => f.writeBack);
  return {
    tool,
    expected: logins.map(shown),
    found: logins.filter((f) => present(f.path)).map(shown),
    forwarded: (LOGINS[tool]?.env ?? []).filter((name) => forwardEnv.includes(name) && !!env[name]),
    copied,
  };
}

/** The login the egress proxy would set (the launch's own discovery), from the variables given. */
function proxyLoginFacts(
  logins: readonly ProxyLogin[],
  env: NodeJS.ProcessEnv,
  home: string,
  proxied: boolean,
): Pick<LoginFacts, 'expected' | 'found' | 'forwarded'> {
  const expected = logins.flatMap((login) => login.sources.map(sourceName));
  const chosen = chooseProxyLogin(logins, env, home);
  if (!chosen) return { expected, found: [], forwarded: [] };
  const fromEnv = chosen.rule.source.kind === 'value' && !proxied;
  return { expected, found: fromEnv ? [] : [chosen.from], forwarded: fromEnv ? [chosen.from] : [] };
}

export const loginChecks: HealthCheck[] = [
  {
    key: 'tool_login',
    name: 'Agent login',
    category: 'configuration',
    run: (env) => {
      if (!('loaded' in env.config)) return warn('unknown: the configuration does not load');
      const { tool, defaults } = env.config.loaded.config;
      const proxied = tool.claude.credentials === 'proxy';
      const facts = loginFacts(tool.name, defaults.forward_env, env.home, process.env, proxied);
      return loginVerdict(facts, LOGINS[tool.name]?.login ?? '');
    },
    manualFix: (r) =>
      r.status === 'warning' && r.details?.login
        ? `log in on the host: ${String(r.details.login)}`
        : undefined,
  },
  {
    key: 'host_files',
    name: 'Host files',
    category: 'configuration',
    run: (env) => {
      if (!('loaded' in env.config)) return warn('unknown: the configuration does not load');
      const { tool, defaults, credentials } = env.config.loaded.config;
      const home = env.home ?? homedir();
      return hostFilesVerdict(loginFacts(tool.name, defaults.forward_env, home), credentials, home);
    },
  },
];

/**
 * What each session gets copied from the host: the tool's files found (presence only) and the
 * `[[credentials]]` bundles, warning about bundle paths that are missing.
 */
export function hostFilesVerdict(
  facts: Pick<LoginFacts, 'tool' | 'copied'>,
  bundles: readonly CredentialBundle[],
  home: string,
) {
  const hosts = bundles.flatMap((b) => (typeof b.host === 'string' ? [b.host] : b.host));
  const missing = hosts.filter((host) => !existsSync(host)).map((h) => displayPath(h, home));
  const found = hosts.filter((host) => existsSync(host)).map((h) => displayPath(h, home));
  const parts = [
    facts.copied.length
      ? `${facts.tool}: ${facts.copied.join(', ')}`
      : `${facts.tool}: none found (sessions start without its login and settings)`,
    ...(found.length ? [`[[credentials]]: ${found.join(', ')}`] : []),
  ];
  const details = { tool: facts.tool, copied: facts.copied, credentials: found };
  const message = `copied into each session: ${parts.join('; ')}`;
  if (missing.length === 0) return ok(message, details);
  return warn(`${message}; [[credentials]] host paths missing: ${missing.join(', ')}`, {
    ...details,
    missing,
  });
}
