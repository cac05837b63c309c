import type { Command } from 'commander';
import { loginShellArgv, streamExec } from '../../core/container/exec.js';
import type { ExecProcess } from '../../incus/exec.js';
import { SessionLog } from '../../core/logs/session-log.js';
import { endSession } from '../../core/session/end.js';
import { launchSession, type Session } from '../../core/session/launch.js';
import { withContext, type CliContext } from '../context.js';
import { SignalCatcher } from '../signals.js';
import { envMap } from '../options/env.js';
import { addSessionOptions, configOverrides, type SessionFlags } from '../session-options.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

/** `coi run`'s exit code when the security monitor killed its container, as for a SIGKILL. */
export const THREAT_KILL_EXIT_CODE = 137;

export function registerRun(program: Command): void {
  addSessionOptions(
    program
      .command('run')
      .description('run a command in a fresh ephemeral container and exit with its exit code')
      .argument(
        '<command...>',
        'one word: a shell command line (bash -lc); several: the exact argv, each word as given',
      )
      // Everything from the command's first word on is the command's, its options included.
      .passThroughOptions(),
  ).action(async (words: string[], flags: SessionFlags) => {
    process.exitCode = await withContext(
      { workspace: flags.workspace, profile: flags.profile, overrides: configOverrides(flags) },
      (ctx) => runInFreshContainer(ctx, words, flags),
    );
  });
}

/**
 * Launches, runs, always deletes. A signal while the container is being made is remembered (the
 * launch finishes, the command is skipped, the container deleted); during the command it is
 * passed on to it. Either way the exit code is the command's, or 128+N for signal N; 137 with one
 * line naming the alert when the security monitor killed the container.
 */
async function runInFreshContainer(
  ctx: CliContext,
  words: string[],
  flags: SessionFlags,
): Promise<number> {
  let proc: ExecProcess | undefined;
  const signals = new SignalCatcher();
  // A signal racing the command's own exit cannot be delivered, and needs not be.
  signals.onSignal((signal) => void proc?.signal(signal).catch(() => undefined));
  const startedAtMs = Date.now();
  try {
    const session = await launchSession({
      incus: ctx.incus,
      loaded: ctx.loaded,
      workspace: ctx.workspace,
      slot: flags.slot,
      cliEnv: envMap(flags.env),
      hostEnv: process.env,
      coiDir: ctx.coiDir,
      prefix: ctx.prefix,
      startTool: false,
      ephemeral: true,
      onStep: say,
      attended: true,
    });
    // The container is cleaned up whatever the command did; a threat kill explains a failed exec.
    const ran = signals.caught
      ? { code: signals.exitCode() }
      : await runCommand(ctx, session, words, (started) => (proc = started)).then(
          (code) => ({ code }),
          (error: unknown) => ({ error }),
        );
    say(`Cleaning up container ${session.container}...`);
    const ended = await endSession(ctx.incus, session.container, {
      coiDir: ctx.coiDir,
      save: false,
      keepPersistent: false,
      startedAtMs,
    });
    if (ended.threatKill) {
      say(
        `coi: the security monitor killed ${session.container}: ${ended.threatKill} (details: coi audit ${session.container})`,
      );
      return THREAT_KILL_EXIT_CODE;
    }
    if ('error' in ran) throw ran.error;
    return ran.code;
  } finally {
    signals.release();
  }
}

/** Runs the command in the session's container, streaming its output; its exit code. */
async function runCommand(
  ctx: CliContext,
  live: Session,
  words: string[],
  onStarted: (proc: ExecProcess) => void,
): Promise<number> {
  const log = new SessionLog(ctx.coiDir, live.container);
  const command = loginShellArgv(words);
  say(`Executing: ${words.join(' ')}`);
  const code = await streamExec(
    live.container,
    () =>
      ctx.incus.exec.start(live.container, command, {
        user: live.codeUid,
        group: live.codeUid,
        account: { name: live.codeUser, home: live.home, shell: '/bin/bash' },
        cwd: '/workspace',
        environment: live.env,
      }),
    {
      stdout: process.stdout,
      stderr: process.stderr,
      ...(process.stdin.isTTY ? {} : { stdin: process.stdin }),
      onOutput: (stream, chunk) => log.output(stream, chunk),
    },
    onStarted,
  );
  log.info(`Command exited with code ${code}`);
  say(code === 0 ? '\nCommand completed successfully' : `\nCommand exited with code ${code}`);
  return code;
}
