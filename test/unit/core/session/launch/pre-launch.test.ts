import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigOverrides } from '../../../../../src/core/config/index.js';
import { SessionLog } from '../../../../../src/core/logs/session-log.js';
import { sessionLogPaths } from '../../../../../src/core/logs/paths.js';
import { HostLocks } from '../../../../../src/core/session/host-locks.js';
import type { LaunchRequest } from '../../../../../src/core/session/launch.js';
import { LaunchError } from '../../../../../src/core/session/launch/launch-error.js';
import { planLaunch } from '../../../../../src/core/session/launch/plan.js';
import { prepareSession } from '../../../../../src/core/session/launch/prepare.js';
import type { RunOptions } from '../../../../../src/incus/exec-types.js';
import { containerName } from '../../../../../src/shared/naming.js';
import { unwrapCodeUser } from '../../../../helpers/code-user-argv.js';
import { FakeIncus, runResult } from '../../../../helpers/fake-incus.js';
import { PREFIX, WORKSPACE, facts, launchRequest } from './fixtures.js';

const NAME = containerName(WORKSPACE, 1, PREFIX);

let coiDir: string;
let incus: FakeIncus;
let ran: { argv: string[]; uid?: number; opts: RunOptions }[];
/** What each pre_launch command answers, by its text. */
let answers: Record<string, { exitCode: number; output: string }>;

beforeEach(() => {
  coiDir = mkdtempSync(join(tmpdir(), 'coi-pre-launch-'));
  incus = new FakeIncus([{ name: NAME }]);
  ran = [];
  answers = {};
  incus.exec.answer((_instance, wrapped, opts) => {
    const { argv, uid } = unwrapCodeUser(wrapped);
    ran.push({ argv, ...(uid === undefined ? {} : { uid }), opts });
    if (argv[0] === 'timeout') {
      const command = argv[4]!.replace(/^exec 2>&1\n/, '');
      const answer = answers[command] ?? { exitCode: 0, output: '' };
      return runResult(answer.exitCode, answer.output);
    }
    return runResult(0);
  });
});

afterEach(() => {
  rmSync(coiDir, { recursive: true, force: true });
});

async function prepare(overrides: ConfigOverrides, over: Partial<LaunchRequest> = {}) {
  const req = launchRequest(incus, coiDir, overrides, over);
  const plan = planLaunch(facts(), req);
  const log = new SessionLog(coiDir, NAME);
  await prepareSession(req, plan, {
    container: NAME,
    ip: '10.99.0.254',
    slot: 1,
    env: { SESSION_TOKEN: 'tok' },
    protectedPaths: [],
    locks: new HostLocks(join(coiDir, 'locks')),
    log,
  });
  return plan;
}

const what = () => ran.map((r) => r.argv[0]);
const stdoutLog = () => readFileSync(sessionLogPaths(coiDir, NAME).stdout, 'utf8');

describe('[tool] pre_launch', () => {
  it('runs each command in order as the code user in /workspace, before tmux, output to the log', async () => {
    answers['npm ci'] = { exitCode: 0, output: 'added 12 packages\n' };
    const plan = await prepare({ tool: { pre_launch: ['npm ci', 'make gen'] } });
    expect(what()).toEqual(['sh', 'timeout', 'timeout', 'tmux']);
    const [first, second] = ran.filter((r) => r.argv[0] === 'timeout');
    expect(first!.argv).toEqual(['timeout', '300', 'bash', '-c', 'exec 2>&1\nnpm ci']);
    expect(second!.argv[4]).toBe('exec 2>&1\nmake gen');
    expect(first!.uid).toBe(plan.codeUid);
    expect(first!.opts.user).toBeUndefined();
    expect(first!.opts).toMatchObject({
      cwd: '/workspace',
      environment: { SESSION_TOKEN: 'tok', HOME: plan.home, USER: plan.codeUser },
    });
    expect(stdoutLog()).toContain('added 12 packages');
  });

  it('a failing command stops the launch with its exit code and last lines; the agent never starts', async () => {
    const output = Array.from({ length: 14 }, (_, i) => `line ${i + 1}`).join('\n');
    answers['make gen'] = { exitCode: 3, output };
    const failure = prepare({ tool: { pre_launch: ['make gen', 'never'] } });
    await expect(failure).rejects.toThrow(LaunchError);
    const message = await failure.catch((e: Error) => e.message);
    expect(message).toContain('[tool] pre_launch command `make gen` failed (exit 3)');
    expect(message).toContain('line 14');
    expect(message).toContain('line 5');
    expect(message).not.toContain('line 4\n');
    expect(what()).toEqual(['sh', 'timeout']);
    expect(stdoutLog()).toContain('line 1\n');
  });

  it('one string is one command; none configured runs nothing', async () => {
    await prepare({ tool: { pre_launch: 'npm ci' } });
    expect(ran.filter((r) => r.argv[0] === 'timeout')).toHaveLength(1);
    ran = [];
    await prepare({});
    expect(what()).toEqual(['sh', 'tmux']);
  });

  it('with use_tmux = false (direct) it still runs, and no tmux session is started', async () => {
    await prepare({ tool: { pre_launch: 'true' } }, { direct: true });
    expect(what()).toEqual(['sh', 'timeout']);
  });
});
