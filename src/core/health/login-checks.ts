import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ok, warn, type HealthCheck } from './types.js';

/** Where each agent keeps its login on the host (relative to the home), and what replaces one. */
const LOGINS: Record<string, { files: string[]; env: string[]; login: string }> = {
  claude: {
    files: ['.claude/.credentials.json'],
    env: ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN'],
    login: 'run `claude` and /login',
  },
  opencode: {
    files: ['.local/share/opencode/auth.json'],
    env: [],
    login: 'run `opencode auth login`',
  },
  pi: { files: ['.pi/agent/auth.json'], env: [], login: 'run `pi` and /login' },
};

export interface LoginFacts {
  tool: string;
  /** Login files that exist and are not empty, as `~/…`. */
  found: string[];
  /** The tool's login files, as `~/…`. */
  expected: string[];
  /** Forwarded environment variables that carry a key instead (names only). */
  forwarded: string[];
}

/** Presence only: the files are never opened, so nothing of their content can be shown. */
export function loginVerdict(facts: LoginFacts, login: string) {
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

function loginFacts(tool: string, forwardEnv: readonly string[], home = homedir()): LoginFacts {
  const known = LOGINS[tool] ?? { files: [], env: [] };
  const present = (rel: string) => {
    try {
      return statSync(join(home, rel)).size > 0;
    } catch {
      // Missing or unreadable: not a usable login.
      return false;
    }
  };
  return {
    tool,
    expected: known.files.map((f) => `~/${f}`),
    found: known.files.filter(present).map((f) => `~/${f}`),
    forwarded: known.env.filter((name) => forwardEnv.includes(name) && !!process.env[name]),
  };
}

export const loginChecks: HealthCheck[] = [
  {
    key: 'tool_login',
    name: 'Agent login',
    category: 'configuration',
    run: (env) => {
      if (!('loaded' in env.config)) return warn('unknown: the configuration does not load');
      const { tool, defaults } = env.config.loaded.config;
      const facts = loginFacts(tool.name, defaults.forward_env);
      return loginVerdict(facts, LOGINS[tool.name]?.login ?? '');
    },
    manualFix: (r) =>
      r.status === 'warning' && r.details?.login
        ? `log in on the host: ${String(r.details.login)}`
        : undefined,
  },
];
