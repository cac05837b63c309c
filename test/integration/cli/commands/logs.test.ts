import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '../../../../src/shared/naming.js';
import { CoiSandbox, ensureBuilt } from '../../../helpers/coi-cli.js';

/** `coi logs` reading what real `coi run` sessions wrote to ~/.coi/logs. */

const CONFIG = `
[tool]
name = "claude"
binary = "coi-standin"
`;

let box: CoiSandbox;
let ws: string;
let name: string;

beforeAll(() => {
  ensureBuilt();
  box = new CoiSandbox(CONFIG);
  ws = box.workspace('logs-run');
  name = containerName(ws, 1, box.prefix);
});

afterAll(async () => {
  await box?.run(['kill', '--all', '--force']);
  await box?.remove();
});

const STAMP = String.raw`\d{4}/\d\d/\d\d \d\d:\d\d:\d\d`;

describe('coi logs', () => {
  it("prints a run's progress and output, stderr lines marked [ERR], after its container is gone", async () => {
    const run = await box.run(['run', 'echo hello from run; echo oops >&2; exit 3'], { cwd: ws });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toBe('hello from run\n');

    const named = await box.run(['logs', name]);
    expect(named.code, named.stderr).toBe(0);
    const lines = named.stdout.split('\n');
    expect(lines).toContain('hello from run');
    expect(lines).toContain('[ERR] oops');
    expect(named.stdout).toMatch(
      new RegExp(`^${STAMP} Launching container ${name} from image \\S+\\.\\.\\.$`, 'm'),
    );
    expect(named.stdout).toMatch(new RegExp(`^${STAMP} Starting ${name}\\.\\.\\.$`, 'm'));
    expect(named.stdout).toMatch(new RegExp(`^${STAMP} Command exited with code 3$`, 'm'));
    expect(named.stdout).toMatch(new RegExp(`^${STAMP} Session ended: container deleted$`, 'm'));
    // The stdout log first, then the stderr log.
    expect(lines.indexOf('hello from run')).toBeLessThan(lines.indexOf('[ERR] oops'));

    // No name: the workspace's container is gone, its logs are the workspace's newest.
    const here = await box.run(['logs'], { cwd: ws });
    expect(here.code, here.stderr).toBe(0);
    expect(here.stdout).toBe(named.stdout);
    const viaEnv = await box.run(['logs'], { env: { COI_CONTAINER: name } });
    expect(viaEnv.stdout).toBe(named.stdout);
  });

  it('-f prints the lines a later run adds, and stops on Ctrl+C', async () => {
    const follower = box.run(['logs', name, '-f'], {
      onStdout: (out, child) => {
        if (out.includes('second run') && out.includes('[ERR] second error')) child.kill('SIGINT');
      },
      timeoutMs: 120_000,
    });
    // The follower prints its banner on stderr; give it a moment to open the files.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const run = await box.run(['run', 'echo second run; echo second error >&2'], { cwd: ws });
    expect(run.code, run.stderr).toBe(0);
    const r = await follower;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('[logs] tailing logs (Ctrl+C to stop)');
    expect(r.stdout).toContain('second run\n');
    expect(r.stdout).toContain('[ERR] second error\n');
    // Only what was added while following: not the first run's output.
    expect(r.stdout).not.toContain('hello from run');
  });

  it('-f waits for logs that do not exist yet', async () => {
    const other = box.workspace('logs-later');
    const later = containerName(other, 1, box.prefix);
    const follower = box.run(['logs', later, '--follow'], {
      onStdout: (out, child) => {
        if (out.includes('Session ended')) child.kill('SIGINT');
      },
      timeoutMs: 120_000,
    });
    const run = await box.run(['run', 'echo appeared'], { cwd: other });
    expect(run.code, run.stderr).toBe(0);
    const r = await follower;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^${STAMP} Launching container ${later} from image \\S+\\.\\.\\.$`, 'm'),
    );
    expect(r.stdout).toContain('appeared\n');
  });

  it('fails clearly for a container without logs', async () => {
    const r = await box.run(['logs', `${box.prefix}00000000-1`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /no logs found for container .*00000000-1 \(expected .*\.stdout\.log or .*\.stderr\.log\)/,
    );
  });
});
