import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  hostFilesVerdict,
  loginFacts,
  loginVerdict,
} from '../../../../src/core/health/login-checks.js';
import { policyFromConfig } from '../../../../src/core/policy/network-policy.js';
import { planCredentialProxy } from '../../../../src/core/session/launch/credential-proxy.js';
import { toolAdapter } from '../../../../src/core/tools/registry.js';
import { config as configWith } from '../session/config.js';

const claude = { tool: 'claude', expected: ['~/.claude/.credentials.json'] };
/** Where the egress proxy looks for a Claude login, in its order. */
const CLAUDE_LOGINS = [
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'accessToken in ~/.claude/.credentials.json',
  'ANTHROPIC_API_KEY',
  'apiKeyHelper in ~/.claude/settings.json',
  'primaryApiKey in ~/.claude.json',
];

describe('agent login verdict', () => {
  it('is ok when the login file is there or a key is forwarded', () => {
    expect(
      loginVerdict({ ...claude, found: ['~/.claude/.credentials.json'], forwarded: [] }, 'x')
        .message,
    ).toBe('claude: logged in (~/.claude/.credentials.json)');
    expect(
      loginVerdict({ ...claude, found: [], forwarded: ['ANTHROPIC_API_KEY'] }, 'x').message,
    ).toBe('claude: key forwarded from the environment (ANTHROPIC_API_KEY)');
  });

  it('warns with the file it looked for and how to log in', () => {
    expect(loginVerdict({ ...claude, found: [], forwarded: [] }, 'run `claude`')).toEqual({
      status: 'warning',
      message: 'claude: not logged in on this host (~/.claude/.credentials.json missing)',
      details: {
        tool: 'claude',
        files: ['~/.claude/.credentials.json'],
        login: 'run `claude`',
      },
    });
  });
});

describe('host files a session gets', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'coi-login-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const put = (rel: string, content = 'x') => {
    mkdirSync(join(home, rel, '..'), { recursive: true });
    writeFileSync(join(home, rel), content);
  };

  it("finds the tool's login and settings by presence, from its declaration", () => {
    put('.claude/.credentials.json', '{"claudeAiOauth":{"accessToken":"SECRET"}}');
    put('.claude/settings.json');
    put('.claude/CLAUDE.md', '');
    expect(loginFacts('claude', [], home, {})).toEqual({
      tool: 'claude',
      expected: CLAUDE_LOGINS,
      found: ['accessToken in ~/.claude/.credentials.json'],
      forwarded: [],
      copied: ['~/.claude/.credentials.json', '~/.claude/settings.json'],
    });
    put('.codex/auth.json');
    expect(loginFacts('codex', ['OPENAI_API_KEY'], home, { OPENAI_API_KEY: 'k' })).toMatchObject({
      found: ['~/.codex/auth.json'],
      forwarded: ['OPENAI_API_KEY'],
    });
  });

  it('says what is copied, never a value, and warns about missing bundle paths', () => {
    put('.aws/credentials');
    const bundle = (host: string | string[]) => ({
      host,
      container: '~/x',
      mode: '0600',
      write_back: false,
    });
    const facts = { tool: 'pi', copied: ['~/.pi/agent/auth.json'] };
    expect(hostFilesVerdict(facts, [bundle(join(home, '.aws'))], home)).toMatchObject({
      status: 'ok',
      message: 'copied into each session: pi: ~/.pi/agent/auth.json; [[credentials]]: ~/.aws',
    });
    expect(
      hostFilesVerdict({ tool: 'pi', copied: [] }, [bundle([join(home, '.aws'), '/nope'])], home),
    ).toMatchObject({
      status: 'warning',
      message:
        'copied into each session: pi: none found (sessions start without its login and settings); ' +
        '[[credentials]]: ~/.aws; [[credentials]] host paths missing: /nope',
    });
  });
});

describe('the Claude login, found as the egress proxy finds it', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'coi-login-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const put = (rel: string, content: unknown) => {
    mkdirSync(join(home, rel, '..'), { recursive: true });
    writeFileSync(join(home, rel), JSON.stringify(content));
  };
  const verdict = (forwardEnv: string[], env: NodeJS.ProcessEnv, proxied: boolean) =>
    loginVerdict(loginFacts('claude', forwardEnv, home, env, proxied), 'x');
  /** What the launch says it sets: "its API key (primaryApiKey in ~/.claude.json) is set as …". */
  const launchFrom = (env: NodeJS.ProcessEnv) => {
    const config = configWith({
      network: { mode: 'allowlist', allowed_domains: ['api.anthropic.com'] },
      tool: { claude: { credentials: 'proxy' } },
    });
    const claudeTool = toolAdapter('claude').adapter;
    const line = planCredentialProxy(config, claudeTool, policyFromConfig(config), env, home);
    return /\(([^)]*)\) is set as/.exec(line?.loginLine ?? '')?.[1];
  };

  it('a file login: primaryApiKey, apiKeyHelper, the /login token (not a file without one)', () => {
    put('.claude/.credentials.json', { claudeAiOauth: {} });
    expect(verdict([], {}, false).status).toBe('warning');
    put('.claude.json', { primaryApiKey: 'sk-ant-api03-real' });
    expect(verdict([], {}, false).message).toBe(
      'claude: logged in (primaryApiKey in ~/.claude.json)',
    );
    put('.claude/settings.json', { apiKeyHelper: '~/bin/key' });
    expect(verdict([], {}, true).message).toBe(
      'claude: logged in (apiKeyHelper in ~/.claude/settings.json)',
    );
    put('.claude/.credentials.json', { claudeAiOauth: { accessToken: 'sk-ant-oat-real' } });
    expect(verdict([], {}, true).message).toBe(
      'claude: logged in (accessToken in ~/.claude/.credentials.json)',
    );
  });

  it.each(['ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_API_KEY'])(
    '%s: with credentials = "proxy" from coi\'s environment, else only when forwarded',
    (name) => {
      const env = { [name]: 'secret-value' };
      expect(verdict([], env, true).message).toBe(`claude: logged in (${name})`);
      expect(verdict([name], env, false).message).toBe(
        `claude: key forwarded from the environment (${name})`,
      );
      expect(verdict([], env, false)).toMatchObject({
        status: 'warning',
        message: `claude: not logged in on this host (${CLAUDE_LOGINS.join(', ')} missing)`,
      });
      expect(JSON.stringify(verdict([name], env, false))).not.toContain('secret-value');
    },
  );

  it('names the same login as the launch with credentials = "proxy"', () => {
    const cases: [string, unknown][] = [
      ['.claude.json', { primaryApiKey: 'k' }],
      ['.claude/settings.json', { apiKeyHelper: 'h' }],
      ['.claude/.credentials.json', { claudeAiOauth: { accessToken: 't' } }],
    ];
    for (const [rel, content] of cases) {
      put(rel, content);
      for (const env of [{}, { ANTHROPIC_API_KEY: 'k' }, { CLAUDE_CODE_OAUTH_TOKEN: 't' }]) {
        const facts = loginFacts('claude', [], home, env, true);
        expect(facts.found).toEqual([launchFrom(env)]);
      }
    }
  });
});
