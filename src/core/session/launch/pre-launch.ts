import { codeUserExec } from '../code-user-exec.js';
import type { IncusApi } from '../../../incus/index.js';
import type { SessionLog } from '../../logs/session-log.js';
import { LaunchError } from './launch-error.js';
import type { LaunchPlan } from './plan.js';

/** Each command gets as long as the Go coi gives it; `timeout` answers 124 when it runs out. */
const PRE_LAUNCH_SECONDS = 300;
/** How much of a failing command's output the error shows (all of it is in the session log). */
const SHOWN_LINES = 10;

export interface PreLaunchRun {
  incus: IncusApi;
  container: string;
  /** `[tool] pre_launch`: one command or several, run in order. */
  commands: string | string[];
  env: Record<string, string>;
  log?: SessionLog;
  onStep?: (message: string) => void;
}

/**
 * Runs `[tool] pre_launch` as the code user in /workspace with the session's environment, one
 * command after the other through bash. Output goes to the session log; the first command that
 * fails stops the launch with its exit code and the last lines it printed.
 */
export async function runPreLaunch(
  run: PreLaunchRun,
  plan: Pick<LaunchPlan, 'codeUid' | 'codeUser' | 'home'>,
): Promise<void> {
  const commands = typeof run.commands === 'string' ? [run.commands] : run.commands;
  for (const command of commands) {
    run.onStep?.(`Running pre_launch: ${command}`);
    const exec = codeUserExec(
      { uid: plan.codeUid, name: plan.codeUser, home: plan.home },
      // One stream, so the log and the error show the output in the order it was printed.
      ['timeout', String(PRE_LAUNCH_SECONDS), 'bash', '-c', `exec 2>&1\n${command}`],
      { cwd: '/workspace', environment: run.env },
    );
    const result = await run.incus.exec.run(run.container, exec.argv, exec.options);
    run.log?.output('stdout', result.stdout);
    if (result.exitCode !== 0) throw preLaunchFailed(command, result.exitCode, result.stdout);
  }
}

function preLaunchFailed(command: string, exitCode: number, output: Buffer): LaunchError {
  const lines = output
    .toString()
    .split('\n')
    .filter((line) => line.trim() !== '');
  const last = lines.slice(-SHOWN_LINES);
  const why = exitCode === 124 ? `timed out after ${PRE_LAUNCH_SECONDS}s` : `exit ${exitCode}`;
  return new LaunchError(
    `[tool] pre_launch command \`${command}\` failed (${why}); the agent was not started` +
      (last.length ? `. Last output:\n  ${last.join('\n  ')}` : ' (no output)') +
      '\nFix the command in your config, or check it with `coi shell --debug`.',
  );
}
