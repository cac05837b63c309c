import type { Command } from 'commander';
import type { ExecProcess } from '../../incus/exec.js';
import type { Session } from '../../core/session/launch.js';
import { withContext, type CliContext } from '../context.js';
import { envMap } from '../options/env.js';
import { addSessionOptions, configOverrides, type SessionFlags } from '../session-options.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

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
 * passed on to it. Either way the exit code is the command's, or 128+N for signal N.
 */
async function runInFreshContainer(
  ctx: CliContext,
  words: string[],
  flags: SessionFlags,
): Promise<number> {
  const [
    { loginShellArgv, streamExec },
    { SessionLog },
    { endSession },
    { launchSession },
    { SignalCatcher },
  ] = await Promise.all([
    import('../../core/container/exec.js'),
    import('../../core/logs/session-log.js'),
    import('../../core/session/end.js'),
    import('../../core/session/launch.js'),
    import('../signals.js'),
  ]);
  let proc: ExecProcess | undefined;
  const signals = new SignalCatcher();
  // A signal racing the command's own exit cannot be delivered, and needs not be.
  signals.onSignal((signal) => void proc?.signal(signal).catch(() => undefined));
  let session: Session | undefined;
  try {
    session = await launchSession({
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
    if (signals.caught) return signals.exitCode();
    const live = session;
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
      (started) => (proc = started),
    );
    log.info(`Command exited with code ${code}`);
    say(code === 0 ? '\nCommand completed successfully' : `\nCommand exited with code ${code}`);
    return code;
  } finally {
    if (session) {
      say(`Cleaning up container ${session.container}...`);
      await endSession(ctx.incus, session.container, {
        coiDir: ctx.coiDir,
        save: false,
        keepPersistent: false,
      });
    }
    signals.release();
  }
}
