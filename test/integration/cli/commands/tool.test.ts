import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoiSandbox } from '../../../helpers/coi-cli.js';
import { sandboxForFile } from '../../../helpers/coi-cli.js';
import type { HeadlessSpec } from '../../../../src/core/session/headless-spec.js';

/**
 * `coi tool spec`: the argv and environment of a headless agent in a running session container,
 * executed here as an outside orchestrator would (`coi container exec` with that uid, cwd and
 * environment), with the image's stand-in agent answering the prompt.
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"

[tool.claude]
effort_level = "high"

[defaults.environment]
COI_TEST_FIXED = "from-config"
`;

let box: CoiSandbox;

sandboxForFile(CONFIG, (b) => (box = b));

describe('coi tool spec', () => {
  it('prints what starts the agent headless, and that works when executed', async () => {
    const ws = box.workspace('tool-spec', 1500);
    const started = await box.run(['shell', '--background'], { cwd: ws });
    expect(started.code, started.stderr).toBe(0);
    const container = /^Container: (\S+)$/m.exec(started.stderr)?.[1];
    expect(container, started.stderr).toBeDefined();
    const prompt = join(box.root, 'task.md');
    writeFileSync(prompt, 'summarise the repo, then exit 6');

    const r = await box.run(
      [
        'tool',
        'spec',
        '--container',
        container!,
        '--prompt-file',
        prompt,
        '--resume-latest',
        '--json',
      ],
      { cwd: ws },
    );
    expect(r.code, r.stderr).toBe(0);
    const spec = JSON.parse(r.stdout) as HeadlessSpec;
    expect(spec).toMatchObject({ container, user: 1500, group: 1500, cwd: '/workspace' });
    expect(spec.command).toEqual([
      'coi-standin',
      '--dangerously-skip-permissions',
      '--continue',
      '-p',
      'summarise the repo, then exit 6',
    ]);
    expect(spec.env).toMatchObject({
      HOME: '/home/code',
      COI_TEST_FIXED: 'from-config',
      CLAUDE_CODE_EFFORT_LEVEL: 'high',
    });

    const env = Object.entries(spec.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    const ran = await box.run([
      'container',
      'exec',
      container!,
      '--user',
      String(spec.user),
      '--group',
      String(spec.group),
      '--cwd',
      spec.cwd,
      ...env,
      '--',
      ...spec.command,
    ]);
    expect(ran.code, ran.stderr).toBe(6);
    expect(ran.stdout).toContain('standin: prompt summarise the repo, then exit 6');
    expect(ran.stdout).toContain('standin: effort high');
    expect(ran.stdout).toContain('standin: resumed [');
  });

  it('refuses --resume-latest with --resume-id (exit 2)', async () => {
    const r = await box.run([
      'tool',
      'spec',
      '--container',
      'x',
      '--prompt-file',
      'p',
      '--resume-latest',
      '--resume-id',
      'a1',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--resume-latest and --resume-id cannot be combined');
  });
});
