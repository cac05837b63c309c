import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headlessSpec } from '../../../../src/core/session/headless-spec.js';
import {
  PROXY_CA_INSIDE,
  PROXY_SENTINEL,
} from '../../../../src/core/session/launch/credential-proxy.js';
import { FakeIncus, runResult } from '../../../helpers/fake-incus.js';
import { config } from './config.js';

const container = 'coi-abc12345-1';

function incus(status: 'Running' | 'Stopped', tool = 'claude') {
  const fake = new FakeIncus([
    {
      name: container,
      status,
      config: { 'user.coi.tool': tool, 'user.coi.code_user': 'code', 'user.coi.workspace': '/w' },
    },
  ]);
  fake.exec.answer((_name, command) =>
    command.join(' ') === 'id -u code' ? runResult(0, '1500\n') : undefined,
  );
  return fake;
}

describe('coi tool spec', () => {
  it('gives the headless argv, the session environment, the mapped uid and /workspace', async () => {
    const cfg = config({
      tool: { binary: 'coi-standin', claude: { model: 'opus' } },
      defaults: { environment: { CI: '1' } },
    });
    const spec = await headlessSpec(incus('Running'), {
      container,
      config: cfg,
      hostEnv: {},
      prompt: 'explain',
      resume: { kind: 'latest' },
    });
    expect(spec).toMatchObject({ container, user: 1500, group: 1500, cwd: '/workspace' });
    expect(spec.command).toEqual([
      'coi-standin',
      '--dangerously-skip-permissions',
      '--continue',
      '-p',
      'explain',
    ]);
    expect(spec.env).toMatchObject({
      HOME: '/home/code',
      IS_SANDBOX: '1',
      CI: '1',
      ANTHROPIC_MODEL: 'opus',
    });
  });

  it('with credentials = "proxy", no forwarded login reaches the spec: the one found holds the sentinel', async () => {
    const hostHome = mkdtempSync(join(tmpdir(), 'coi-spec-login-'));
    const spec = (hostEnv: NodeJS.ProcessEnv, credentials: 'proxy' | 'copy' = 'proxy') =>
      headlessSpec(incus('Running'), {
        container,
        config: config({
          tool: { claude: { credentials } },
          defaults: { forward_env: ['CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_API_KEY'] },
        }),
        hostEnv,
        hostHome,
        prompt: 'p',
      });
    const hostEnv = { CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-real', ANTHROPIC_API_KEY: 'sk-real' };
    const { env } = await spec(hostEnv);
    expect(env.CLAUDE_CODE_OAUTH_TOKEN).toBe(PROXY_SENTINEL);
    expect(env).not.toHaveProperty('ANTHROPIC_API_KEY');
    expect(env.NODE_EXTRA_CA_CERTS).toBe(PROXY_CA_INSIDE);
    expect(JSON.stringify(env)).not.toContain('real');
    // Copied logins are forwarded as configured.
    expect((await spec(hostEnv, 'copy')).env).toMatchObject(hostEnv);
  });

  it('an env-sourced inject rule: its variable holds the sentinel or is dropped, as at launch', async () => {
    const inject = [
      { domain: 'api.github.com', header: 'Authorization', format: 'Bearer {}', env: 'GH_TOKEN' },
      { domain: 'api.github.com', header: 'X-K', format: '{}', env: 'K', sentinel: 'fake-k' },
    ];
    const forward_env = ['GH_TOKEN', 'K', 'KEPT'];
    const { env } = await headlessSpec(incus('Running'), {
      container,
      config: config({
        defaults: { forward_env },
        network: { mode: 'allowlist', allowed_domains: ['api.github.com'], proxy: { inject } },
      }),
      hostEnv: { GH_TOKEN: 'gh-real', K: 'k-real', KEPT: 'yes' },
      prompt: 'p',
    });
    expect(env).not.toHaveProperty('GH_TOKEN');
    expect(env).toMatchObject({ K: 'fake-k', KEPT: 'yes', NODE_EXTRA_CA_CERTS: PROXY_CA_INSIDE });
    expect(JSON.stringify(env)).not.toContain('real');
  });

  it('starts the tool the container was launched with, without the binary of another', async () => {
    const spec = await headlessSpec(incus('Running', 'codex'), {
      container,
      config: config({ tool: { binary: 'coi-standin' } }),
      hostEnv: {},
      prompt: 'p',
    });
    expect(spec.command.slice(0, 2)).toEqual(['codex', 'exec']);
  });

  it('refuses a stopped container and a config that does not allow unattended runs', async () => {
    const req = { container, config: config(), hostEnv: {}, prompt: 'p' };
    await expect(headlessSpec(incus('Stopped'), req)).rejects.toThrow(/is stopped/);
    await expect(
      headlessSpec(incus('Running'), {
        ...req,
        config: config({ tool: { permission_mode: 'interactive' } }),
      }),
    ).rejects.toThrow(/permission_mode = "bypass"/);
  });
});
