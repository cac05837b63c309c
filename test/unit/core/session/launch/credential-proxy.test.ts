import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigOverrides } from '../../../../../src/core/config/index.js';
import { policyFromConfig } from '../../../../../src/core/policy/network-policy.js';
import {
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

  it('[tool.claude] credentials = "proxy": the host login file, by a sentinel login', () => {
    const proxied = {
      ...allowlist(['api.anthropic.com']),
      tool: { claude: { credentials: 'proxy' as const } },
    };
    expect(() => plan(proxied)).toThrow(
      `there is no login at ${join(hostHome, '.claude/.credentials.json')} on the host`,
    );
    mkdirSync(join(hostHome, '.claude'), { recursive: true });
    writeFileSync(join(hostHome, '.claude/.credentials.json'), '{}');
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
    expect(proxy?.loginSentinel).toBe(PROXY_SENTINEL);
    // Another tool has no proxied login: the setting is about Claude.
    expect(plan(proxied, {}, 'codex')).toBeUndefined();
  });
});
