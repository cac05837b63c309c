import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceHash } from '../../../../src/shared/naming.js';
import { CoiSandbox, sandboxForFile } from '../../../helpers/coi-cli.js';
import { incus } from '../../../helpers/testbed.js';

/** `coi run` without a command (./coi-run), its refusals, and persistent containers reused. */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"
`;

let box: CoiSandbox;

sandboxForFile(CONFIG, (b) => (box = b));

async function containersOf(workspace: string): Promise<string[]> {
  const names = (await incus().get<string[]>('/1.0/instances')).map((u) => u.split('/').pop()!);
  return names.filter((n) => n.startsWith(`${box.prefix}${workspaceHash(workspace)}-`));
}

function script(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

describe('coi run without a command', () => {
  it('runs the executable ./coi-run, or the file its symlink inside the workspace names', async () => {
    const direct = box.workspace('script-direct');
    script(join(direct, 'coi-run'), 'echo "from coi-run in $(pwd) as $(id -un)"; exit 9');
    const linked = box.workspace('script-linked');
    mkdirSync(join(linked, 'ci'));
    script(join(linked, 'ci', 'run all.sh'), 'echo "linked $0"');
    // Absolute: the host path means nothing inside, the container runs /workspace/ci/….
    symlinkSync(join(linked, 'ci', 'run all.sh'), join(linked, 'coi-run'));
    const [a, b] = await Promise.all([
      box.run(['run'], { cwd: direct }),
      box.run(['run'], { cwd: linked }),
    ]);
    expect(a.code, a.stderr).toBe(9);
    expect(a.stdout).toBe('from coi-run in /workspace as code\n');
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toBe('linked /workspace/ci/run all.sh\n');
  });

  it('refuses with exit 2 and the reason, before any container exists', async () => {
    const missing = box.workspace('script-missing');
    const plain = box.workspace('script-plain');
    writeFileSync(join(plain, 'coi-run'), 'echo hi\n');
    const escaping = box.workspace('script-escaping');
    script(join(box.root, 'outside.sh'), 'echo outside');
    symlinkSync(join(box.root, 'outside.sh'), join(escaping, 'coi-run'));
    const [none, notExec, outside] = await Promise.all(
      [missing, plain, escaping].map((cwd) => box.run(['run'], { cwd })),
    );
    expect(none!.code).toBe(2);
    expect(none!.stderr).toContain('./coi-run does not exist');
    expect(notExec!.code).toBe(2);
    expect(notExec!.stderr).toContain('./coi-run is not executable: chmod +x coi-run');
    expect(outside!.code).toBe(2);
    expect(outside!.stderr).toContain('outside the workspace');
    for (const ws of [missing, plain, escaping]) expect(await containersOf(ws)).toEqual([]);
  });
});

describe('coi run refuses conflicting prompt input with exit 2', () => {
  it('names the conflict and makes no container', async () => {
    const ws = box.workspace('prompt-conflicts');
    writeFileSync(join(ws, 'task.md'), 'task');
    const runs = await Promise.all(
      [
        ['run', '--prompt', 'a', '--prompt-file', 'task.md'],
        ['run', '--prompt-file', 'task.md', '--prompt-name', 'x'],
        ['run', '--prompt', 'a', '--', 'npm', 'test'],
        ['run', '--prompt-name', 'nope'],
        ['run', '--prompt-file', 'missing.md'],
      ].map((args) => box.run(args, { cwd: ws })),
    );
    const [both, fileAndName, withCommand, unknown, missing] = runs;
    for (const r of runs) expect(r.code, r.stderr).toBe(2);
    expect(both!.stderr).toContain('--prompt and --prompt-file cannot be combined');
    expect(fileAndName!.stderr).toContain('--prompt-file and --prompt-name cannot be combined');
    expect(withCommand!.stderr).toContain('--prompt cannot be combined with a command (npm test)');
    expect(unknown!.stderr).toContain('no prompt named "nope"');
    expect(missing!.stderr).toContain('cannot read --prompt-file missing.md (ENOENT)');
    expect(await containersOf(ws)).toEqual([]);
  });

  it('says a prompt needs bypass permission mode', async () => {
    const asking = new CoiSandbox(`${CONFIG}permission_mode = "interactive"\n`);
    try {
      const ws = asking.workspace('prompt-interactive');
      const r = await asking.run(['run', '--prompt', 'hello'], { cwd: ws });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('needs [tool] permission_mode = "bypass" (it is "interactive")');
      expect(await containersOf(ws)).toEqual([]);
    } finally {
      await asking.remove();
    }
  });
});

describe('coi run with [container] persistent = true', () => {
  it('keeps the container stopped and starts the same one again next time', async () => {
    const kept = new CoiSandbox(`${CONFIG}\n[container]\npersistent = true\n`);
    const ws = kept.workspace('persistent-run');
    try {
      const first = await kept.run(['run', 'hostname; echo installed > ~/tool; exit 4'], {
        cwd: ws,
      });
      expect(first.code, first.stderr).toBe(4);
      const name = first.stdout.trim();
      expect(name).toBe(`${kept.prefix}${workspaceHash(ws)}-1`);
      const state = await incus().get<{ status: string }>(`/1.0/instances/${name}/state`);
      expect(state.status).toBe('Stopped');

      const second = await kept.run(['run', 'hostname; cat ~/tool'], { cwd: ws });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toBe(`${name}\ninstalled\n`);
      expect(await containersOf(ws)).toEqual([name]);
    } finally {
      await kept.run(['kill', '--force', ...(await containersOf(ws))]);
      await kept.remove();
    }
  });
});
