import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigOverrides } from '../../../../../src/core/config/index.js';
import { policyFromConfig } from '../../../../../src/core/policy/network-policy.js';
import {
  CredentialProxyError,
  planCredentialProxy,
  PROXY_CA_INSIDE,
  PROXY_SENTINEL,
} from '../../../../../src/core/session/launch/credential-proxy.js';
import { toolAdapter } from '../../../../../src/core/tools/registry.js';
import { config as configWith } from '../config.js';

const hostHome = mkdtempSync(join(tmpdir(), 'coi-credential-proxy-'));
const allowlist = (domains: string[], over: ConfigOverrides['network'] = {}): ConfigOverrides => ({
  network: { mode: 'allowlist', allowed_domains: domains, ...over },
});

function plan(overrides: ConfigOverrides, env: NodeJS.ProcessEnv = {}, tool = 'claude') {
  const config = configWith(overrides);
  return planCredentialProxy(
    config,
    toolAdapter(tool).adapter,
    policyFromConfig(config),
    env,
    hostHome,
  );
}

const rule = { domain: 'api.github.com', header: 'Authorization', format: 'Bearer {}' };

describe('planCredentialProxy', () => {
  it('is nothing without inject rules or a proxied login', () => {
    expect(plan(allowlist(['api.github.com']))).toBeUndefined();
  });

  it('turns the rules into sources (~ is the host home), trusting the CA for node too', () => {
    const proxy = plan(
      allowlist(['api.github.com', '*.corp.test'], {
        proxy: {
          inject: [
            { ...rule, command: 'gh auth token' },
            {
              domain: '*.corp.test',
              header: 'X-Key',
              file: '~/k.json',
              json_pointer: '/k',
              format: '{}',
            },
            {
              domain: 'api.github.com',
              header: 'X-Other',
              env: 'OTHER',
              sentinel: 'fake',
              format: '{}',
            },
          ],
        },
      }),
      { OTHER: 'from-host' },
    );
    expect(proxy?.rules.map((r) => r.source)).toEqual([
      { kind: 'command', command: 'gh auth token' },
      { kind: 'file', path: join(hostHome, 'k.json'), pointer: '/k' },
      { kind: 'value', value: 'from-host' },
    ]);
    expect(proxy?.env).toEqual({ OTHER: 'fake', NODE_EXTRA_CA_CERTS: PROXY_CA_INSIDE });
    expect(proxy?.loginSentinel).toBeUndefined();
  });

  it("keeps an env source's real value out of the session: its variable holds the sentinel or is dropped", () => {
    const proxy = plan(
      allowlist(['api.github.com'], {
        proxy: {
          inject: [
            { ...rule, env: 'GH_TOKEN' },
            { ...rule, header: 'X-K', env: 'K', sentinel: 'fake-k' },
          ],
        },
      }),
      { GH_TOKEN: 'gh-real', K: 'k-real' },
    );
    expect(proxy?.secretEnv).toEqual({ sentinel: ['K'], dropped: ['GH_TOKEN'] });
    expect(proxy?.env).toEqual({ K: 'fake-k', NODE_EXTRA_CA_CERTS: PROXY_CA_INSIDE });
  });

  it('refuses an env source the host does not set, naming the rule', () => {
    const overrides = allowlist(['api.github.com'], {
      proxy: { inject: [{ ...rule, env: 'GH_TOKEN' }] },
    });
    expect(() => plan(overrides)).toThrow(
      'network.proxy.inject[0].env: GH_TOKEN is not set in this environment',
    );
  });

  it('needs allowlist mode and the name on the allowlist', () => {
    const inject = { proxy: { inject: [{ ...rule, command: 'c' }] } };
    expect(() => plan({ network: { mode: 'open', ...inject } })).toThrow(
      'network.proxy.inject needs network.mode = "allowlist"',
    );
    expect(() => plan(allowlist(['example.com'], inject))).toThrow(
      'api.github.com is not on network.allowed_domains',
    );
    expect(plan(allowlist(['*.github.com'], inject))?.anyName).toBe(false);
  });

  it('refuses open and restricted mode without inject_in_open, naming the key', () => {
    const inject = { proxy: { inject: [{ ...rule, command: 'c' }] } };
    for (const mode of ['open', 'restricted'] as const)
      expect(() => plan({ network: { mode, ...inject } })).toThrow(
        'set [network.proxy] inject_in_open = true in a trusted config file',
      );
  });

  it('with inject_in_open, open and restricted mode inject for any name (no allowlist needed)', () => {
    const proxy = { inject: [{ ...rule, command: 'c' }], inject_in_open: true };
    for (const mode of ['open', 'restricted'] as const) {
      const planned = plan({ network: { mode, proxy } });
      expect(planned?.anyName).toBe(true);
      expect(planned?.rules.map((r) => r.domain)).toEqual(['api.github.com']);
    }
    // The opt-in alone changes nothing: without rules there is no proxy.
    expect(plan({ network: { mode: 'open', proxy: { inject_in_open: true } } })).toBeUndefined();
  });

  describe('[tool.claude] credentials = "proxy"', () => {
    const proxied = {
      ...allowlist(['api.anthropic.com']),
      tool: { claude: { credentials: 'proxy' as const } },
    };
    const home = () => mkdtempSync(join(tmpdir(), 'coi-proxy-login-'));
    const write = (root: string, rel: string, content: unknown) => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), JSON.stringify(content));
    };
    const planIn = (root: string, env: NodeJS.ProcessEnv = {}) => {
      const config = configWith(proxied);
      const claude = toolAdapter('claude').adapter;
      return planCredentialProxy(config, claude, policyFromConfig(config), env, root);
    };
    const oauth = { claudeAiOauth: { accessToken: 'sk-ant-oat-real' } };
    const apiKeyRule = (source: unknown) => ({
      domain: 'api.anthropic.com',
      header: 'x-api-key',
      source,
      format: '{}',
    });

    it('an OAuth login: its token file as a bearer token, by a sentinel login', () => {
      write(hostHome, '.claude/.credentials.json', oauth);
      const proxy = plan(proxied);
      expect(proxy?.rules).toEqual([
        {
          domain: 'api.anthropic.com',
          header: 'Authorization',
          source: {
            kind: 'file',
            path: join(hostHome, '.claude/.credentials.json'),
            pointer: '/claudeAiOauth/accessToken',
            // Renewed on the host as Claude Code renews it.
            refresh: {
              tokenUrl: 'https://platform.claude.com/v1/oauth/token',
              clientId: '9d1c250a-e61b-44d9-88ed-5944d1962f5e',
              refreshPointer: '/claudeAiOauth/refreshToken',
              expiresAtPointer: '/claudeAiOauth/expiresAt',
              userAgent: expect.stringMatching(/^claude-cli\//) as string,
            },
          },
          format: 'Bearer {}',
        },
      ]);
      expect(proxy?.loginSentinel).toEqual({ value: PROXY_SENTINEL, login: 'oauth' });
      expect(proxy?.env).toEqual({ NODE_EXTRA_CA_CERTS: PROXY_CA_INSIDE });
      expect(proxy?.loginLine).toBe(
        'The claude login goes by the egress proxy: its OAuth token (accessToken in ~/.claude/.credentials.json) ' +
          'is set as Authorization for api.anthropic.com on the host; the container holds a sentinel',
      );
      // Another tool has no proxied login: the setting is about Claude.
      expect(plan(proxied, {}, 'codex')).toBeUndefined();
    });

    it('OAuth first, as the API key would bill per token, even with a key in the environment', () => {
      const root = home();
      write(root, '.claude/.credentials.json', oauth);
      write(root, '.claude.json', { primaryApiKey: 'sk-ant-api03-real' });
      const proxy = planIn(root, { ANTHROPIC_API_KEY: 'sk-ant-api03-env' });
      expect(proxy?.rules.map((r) => r.header)).toEqual(['Authorization']);
      expect(proxy?.env).not.toHaveProperty('ANTHROPIC_API_KEY');
    });

    it('no OAuth login: the API key as x-api-key, the environment first, then apiKeyHelper, then ~/.claude.json', () => {
      const root = home();
      // A credentials file without a token is no OAuth login.
      write(root, '.claude/.credentials.json', { claudeAiOauth: {} });
      write(root, '.claude.json', { primaryApiKey: 'sk-ant-api03-real' });
      const stored = planIn(root);
      expect(stored?.rules).toEqual([
        apiKeyRule({ kind: 'file', path: join(root, '.claude.json'), pointer: '/primaryApiKey' }),
      ]);
      expect(stored?.loginSentinel).toEqual({ value: PROXY_SENTINEL, login: 'api-key' });
      expect(stored?.loginLine).toContain(
        'its API key (primaryApiKey in ~/.claude.json) is set as x-api-key for api.anthropic.com',
      );
      write(root, '.claude/settings.json', { apiKeyHelper: '~/bin/anthropic-key' });
      expect(planIn(root)?.rules).toEqual([
        apiKeyRule({ kind: 'command', command: '~/bin/anthropic-key' }),
      ]);
      const fromEnv = planIn(root, { ANTHROPIC_API_KEY: 'sk-ant-api03-env' });
      expect(fromEnv?.rules).toEqual([apiKeyRule({ kind: 'value', value: 'sk-ant-api03-env' })]);
      expect(fromEnv?.loginLine).toContain('its API key (ANTHROPIC_API_KEY)');
    });

    it('an API-key login: the session variable holds the sentinel (a forwarded key would not)', () => {
      const root = home();
      write(root, '.claude.json', { primaryApiKey: 'sk-ant-api03-real' });
      expect(planIn(root)?.env).toEqual({
        ANTHROPIC_API_KEY: PROXY_SENTINEL,
        NODE_EXTRA_CA_CERTS: PROXY_CA_INSIDE,
      });
    });

    const bearerRule = (value: string) => ({
      domain: 'api.anthropic.com',
      header: 'Authorization',
      source: { kind: 'value', value },
      format: 'Bearer {}',
    });
    const noLoginVariable = [
      'ANTHROPIC_AUTH_TOKEN',
      'CLAUDE_CODE_OAUTH_TOKEN',
      'ANTHROPIC_API_KEY',
    ];

    it('CLAUDE_CODE_OAUTH_TOKEN (claude setup-token): before the /login file and every API key, the variable holding the sentinel', () => {
      const root = home();
      write(root, '.claude/.credentials.json', oauth);
      write(root, '.claude.json', { primaryApiKey: 'sk-ant-api03-real' });
      const proxy = planIn(root, {
        CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-setup',
        ANTHROPIC_API_KEY: 'sk-ant-api03-env',
      });
      expect(proxy?.rules).toEqual([bearerRule('sk-ant-oat01-setup')]);
      expect(proxy?.loginSentinel).toEqual({ value: PROXY_SENTINEL, login: 'oauth' });
      expect(proxy?.env).toEqual({
        CLAUDE_CODE_OAUTH_TOKEN: PROXY_SENTINEL,
        NODE_EXTRA_CA_CERTS: PROXY_CA_INSIDE,
      });
      expect(proxy?.secretEnv).toEqual({
        sentinel: ['CLAUDE_CODE_OAUTH_TOKEN'],
        dropped: ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY'],
      });
      expect(proxy?.loginLine).toContain(
        'its OAuth token (CLAUDE_CODE_OAUTH_TOKEN) is set as Authorization for api.anthropic.com',
      );
    });

    it('ANTHROPIC_AUTH_TOKEN first, as Claude Code sends it as a bearer token over every other login', () => {
      const root = home();
      write(root, '.claude/.credentials.json', oauth);
      const proxy = planIn(root, {
        ANTHROPIC_AUTH_TOKEN: 'bearer-real',
        CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-setup',
        ANTHROPIC_API_KEY: 'sk-ant-api03-env',
      });
      expect(proxy?.rules).toEqual([bearerRule('bearer-real')]);
      expect(proxy?.env.ANTHROPIC_AUTH_TOKEN).toBe(PROXY_SENTINEL);
      expect(proxy?.secretEnv).toEqual({
        sentinel: ['ANTHROPIC_AUTH_TOKEN'],
        dropped: ['CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_API_KEY'],
      });
      expect(proxy?.loginLine).toContain('its bearer token (ANTHROPIC_AUTH_TOKEN)');
    });

    it('whichever login, every other login variable is dropped from the session', () => {
      const root = home();
      write(root, '.claude/.credentials.json', oauth);
      expect(planIn(root)?.secretEnv).toEqual({ sentinel: [], dropped: noLoginVariable });
      const keyOnly = home();
      write(keyOnly, '.claude.json', { primaryApiKey: 'sk-ant-api03-real' });
      expect(planIn(keyOnly)?.secretEnv).toEqual({
        sentinel: ['ANTHROPIC_API_KEY'],
        dropped: ['ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'],
      });
      // Injection rules alone leave the session's variables as configured.
      const inject = { proxy: { inject: [{ ...rule, command: 'c' }] } };
      expect(plan(allowlist(['api.github.com'], inject))?.secretEnv).toBeUndefined();
    });

    it('a host with neither login is an error naming where it looked and what to do', () => {
      const root = home();
      write(root, '.claude.json', { userID: 'u' });
      expect(() => planIn(root, { ANTHROPIC_API_KEY: '' })).toThrow(
        new CredentialProxyError(
          'tool.claude.credentials = "proxy": the host has no claude login (looked for ANTHROPIC_AUTH_TOKEN, ' +
            'CLAUDE_CODE_OAUTH_TOKEN, accessToken in ~/.claude/.credentials.json, ANTHROPIC_API_KEY, ' +
            'apiKeyHelper in ~/.claude/settings.json, primaryApiKey in ~/.claude.json); log in with ' +
            '`claude` on the host first (or export ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN or ' +
            'ANTHROPIC_API_KEY), or set credentials = "copy"',
        ),
      );
    });
  });
});
