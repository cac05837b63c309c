import { describe, expect, it } from 'vitest';
import { planHostCopies } from '../../../../../src/core/session/host-copies/plan.js';
import { claude } from '../../../../../src/core/tools/claude.js';
import { genericTool } from '../../../../../src/core/tools/generic.js';

const base = { permissionMode: 'bypass' as const, hostHome: '/h/me', home: '/home/code' };

describe('planHostCopies', () => {
  it("puts the tool's files at the same place in the code user's home, secrets 0600", () => {
    const copies = planHostCopies({ ...base, tool: claude, bundles: [] });
    expect(copies.map((c) => [c.host, c.container, c.mode.toString(8), c.writeBack])).toEqual([
      ['/h/me/.claude/.credentials.json', '/home/code/.claude/.credentials.json', '600', true],
      ['/h/me/.claude/settings.json', '/home/code/.claude/settings.json', '644', false],
      ['/h/me/.claude/settings.local.json', '/home/code/.claude/settings.local.json', '644', false],
      ['/h/me/.claude/CLAUDE.md', '/home/code/.claude/CLAUDE.md', '644', false],
      ['/h/me/.claude.json', '/home/code/.claude.json', '600', false],
    ]);
    // The merge is bound to the permission mode.
    const settings = copies.find((c) => c.host.endsWith('settings.json'))!;
    expect(JSON.parse(settings.merge!(undefined)!).skipDangerousModePermissionPrompt).toBe(true);
  });

  it('adds each [[credentials]] bundle: ~ is the code user home, several hosts go into a directory', () => {
    const copies = planHostCopies({
      ...base,
      tool: genericTool('agent'),
      bundles: [
        { host: '/h/me/.aws', container: '~/.aws', mode: '0600', write_back: false },
        {
          host: ['/h/me/keys/ollama.key', '/h/me/keys/other.key'],
          container: '/etc/keys',
          mode: '640',
          write_back: true,
        },
      ],
    });
    expect(copies).toEqual([
      {
        host: '/h/me/.aws',
        container: '/home/code/.aws',
        mode: 0o600,
        writeBack: false,
        origin: '[[credentials]] #1',
      },
      {
        host: '/h/me/keys/ollama.key',
        container: '/etc/keys/ollama.key',
        mode: 0o640,
        writeBack: true,
        origin: '[[credentials]] #2',
      },
      {
        host: '/h/me/keys/other.key',
        container: '/etc/keys/other.key',
        mode: 0o640,
        writeBack: true,
        origin: '[[credentials]] #2',
      },
    ]);
  });

  it('with a proxy sentinel: the login holds the sentinel only and is never written back', () => {
    const proxySentinel = { value: 'SENT', login: 'oauth' as const };
    const copies = planHostCopies({ ...base, tool: claude, bundles: [], proxySentinel });
    const login = copies.find((c) => c.host.endsWith('.credentials.json'))!;
    expect(login.writeBack).toBe(false);
    const host = {
      claudeAiOauth: {
        accessToken: 'sk-ant-oat-real',
        refreshToken: 'sk-ant-ort-real',
        expiresAt: 1,
        scopes: ['user:inference'],
        subscriptionType: 'max',
      },
    };
    const inside = login.merge!(JSON.stringify(host))!;
    expect(inside).not.toContain('real');
    expect(JSON.parse(inside)).toEqual({
      claudeAiOauth: {
        scopes: ['user:inference'],
        subscriptionType: 'max',
        accessToken: 'SENT',
        refreshToken: 'SENT',
        expiresAt: Date.UTC(2100, 0, 1),
      },
    });
    const claudeJson = copies.find((c) => c.host.endsWith('.claude.json'))!;
    const reduced = claudeJson.merge!(JSON.stringify({ primaryApiKey: 'sk-real', userID: 'u' }))!;
    expect(JSON.parse(reduced)).toMatchObject({ userID: 'u' });
    expect(reduced).not.toContain('sk-real');
  });

  const hostClaudeJson = JSON.stringify({
    primaryApiKey: 'sk-ant-api03-real-key-0123456789abcdef',
    customApiKeyResponses: { approved: ['real-key-0123456789abcdef'.slice(-20)], rejected: [] },
    userID: 'u',
  });

  it('with an API-key sentinel: the key and its approval hold the sentinel, no OAuth login', () => {
    const proxySentinel = { value: 'coi-egress-proxy-sentinel', login: 'api-key' as const };
    const copies = planHostCopies({ ...base, tool: claude, bundles: [], proxySentinel });
    const merged = (suffix: string, content: string) =>
      copies.find((c) => c.host.endsWith(suffix))!.merge!(content)!;
    const claudeJson = merged('.claude.json', hostClaudeJson);
    expect(claudeJson).not.toContain('real');
    expect(JSON.parse(claudeJson)).toMatchObject({
      userID: 'u',
      primaryApiKey: 'coi-egress-proxy-sentinel',
      customApiKeyResponses: { approved: ['gress-proxy-sentinel'], rejected: [] },
    });
    // A restored session's OAuth login is replaced: it would win over the key.
    const oauth = JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat-real' } });
    expect(JSON.parse(merged('.credentials.json', oauth))).toEqual({});
  });

  it("with either sentinel the host's apiKeyHelper stays out (the proxy runs it on the host)", () => {
    for (const login of ['oauth', 'api-key'] as const) {
      const proxySentinel = { value: 'SENT', login };
      const copies = planHostCopies({ ...base, tool: claude, bundles: [], proxySentinel });
      const settings = copies.find((c) => c.host.endsWith('/.claude/settings.json'))!;
      const inside = JSON.parse(settings.merge!('{"apiKeyHelper":"~/bin/key","model":"opus"}')!);
      expect(inside).toMatchObject({ model: 'opus', skipDangerousModePermissionPrompt: true });
      expect(inside).not.toHaveProperty('apiKeyHelper');
    }
    // Copied as it is otherwise.
    const copied = planHostCopies({ ...base, tool: claude, bundles: [] });
    const settings = copied.find((c) => c.host.endsWith('/.claude/settings.json'))!;
    expect(JSON.parse(settings.merge!('{"apiKeyHelper":"~/bin/key"}')!)).toHaveProperty(
      'apiKeyHelper',
    );
  });

  it('with an OAuth sentinel, neither the API key nor its approval goes in', () => {
    const proxySentinel = { value: 'SENT', login: 'oauth' as const };
    const copies = planHostCopies({ ...base, tool: claude, bundles: [], proxySentinel });
    const inside = copies.find((c) => c.host.endsWith('.claude.json'))!.merge!(hostClaudeJson)!;
    expect(JSON.parse(inside)).toEqual({
      userID: 'u',
      hasCompletedOnboarding: true,
      bypassPermissionsModeAccepted: true,
    });
  });
});
