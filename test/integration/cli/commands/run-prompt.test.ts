import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceHash } from '../../../../src/shared/naming.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';
import { incus } from '../../../helpers/testbed.js';

/**
 * `coi run --prompt | --prompt-file | --prompt-name`: the configured agent headless in print mode,
 * here the image's stand-in (`-p PROMPT` prints `standin: prompt …` and exits with the N of an
 * "exit N" in the prompt).
 */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"

[tool.claude]
model = "standin-model"

[prompts]
greet = "say hello from the config"
`;

let box: CoiSandbox;

beforeAll(() => {
  ensureBuilt();
  box = new CoiSandbox(CONFIG);
  mkdirSync(join(box.coiDir, 'prompts'));
  writeFileSync(join(box.coiDir, 'prompts', 'fail.md'), 'from a prompt file, then exit 5\n');
});

afterAll(async () => {
  await box?.run(['kill', '--all', '--force']);
  await box?.remove();
});

async function containersOf(workspace: string): Promise<string[]> {
  const names = (await incus().get<string[]>('/1.0/instances')).map((u) => u.split('/').pop()!);
  return names.filter((n) => n.startsWith(`${box.prefix}${workspaceHash(workspace)}-`));
}

describe('coi run with a prompt', () => {
  it('runs the agent in print mode with its context and settings, streams it, exits with its code', async () => {
    const ws = box.workspace('prompt-text');
    const r = await box.run(['run', '--prompt', 'fix the tests, then exit 3'], { cwd: ws });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain(
      'standin: started --dangerously-skip-permissions -p fix the tests, then exit 3',
    );
    expect(r.stdout).toContain('standin: prompt fix the tests, then exit 3');
    // The context files are written for a headless agent as for one in tmux.
    expect(r.stdout).toContain('standin: context loaded');
    expect(r.stdout).toContain('standin: model standin-model');
    expect(r.stderr).toContain('Running claude headless');
    expect(await containersOf(ws)).toEqual([]);
  });

  it('reads --prompt-file from the host and exits 0 when the agent does', async () => {
    const ws = box.workspace('prompt-file');
    writeFileSync(join(ws, 'task.md'), 'a task\nwith two lines\n');
    const r = await box.run(['run', '--prompt-file', 'task.md'], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('standin: prompt a task\nwith two lines\n');
  });

  it('finds --prompt-name in [prompts], then in ~/.coi/prompts/NAME.md', async () => {
    const [fromConfig, fromFile] = await Promise.all([
      box.run(['run', '--prompt-name', 'greet'], { cwd: box.workspace('prompt-name-config') }),
      box.run(['run', '--prompt-name', 'fail'], { cwd: box.workspace('prompt-name-file') }),
    ]);
    expect(fromConfig!.code, fromConfig!.stderr).toBe(0);
    expect(fromConfig!.stdout).toContain('standin: prompt say hello from the config');
    expect(fromFile!.code, fromFile!.stderr).toBe(5);
    expect(fromFile!.stdout).toContain('standin: prompt from a prompt file, then exit 5');
  });
});
