import { describe, expect, it } from 'vitest';
import { headlessSpec } from '../../../../src/core/session/headless-spec.js';
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
