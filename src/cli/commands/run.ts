import type { Command } from 'commander';
import { finished } from 'node:stream/promises';
import type { ExecProcess } from '../../incus/exec.js';
import { endSession } from '../../core/session/end.js';
import { parseEnvFlags } from '../../core/session/environment.js';
import { launchSession, type Session } from '../../core/session/launch.js';
import { withContext, type CliContext } from '../context.js';
import { SignalCatcher } from '../signals.js';
import { CliError, usageError } from '../errors.js';
import {
  addSessionOptions,
  configOverrides,
  slotFlag,
  type SessionFlags,
} from '../session-options.js';

const START_ATTEMPTS = 3;

export function registerRun(program: Command): void {
  addSessionOptions(
    program
      .command('run')
      .description('run a command in a fresh ephemeral container and exit with its exit code')
      .argument('<command...>', 'the command (run by bash -lc in /workspace)'),
  ).action(async (words: string[], flags: SessionFlags) => {
    if (words.length === 0) throw usageError('coi run: missing command');
    process.exitCode = await withContext(
      { workspace: flags.workspace, profile: flags.profile, overrides: configOverrides(flags) },
      (ctx) => runInFreshContainer(ctx, words.join(' '), flags),
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
  command: string,
  flags: SessionFlags,
): Promise<number> {
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
      slot: slotFlag(flags),
      cliEnv: parseEnvFlags(flags.env),
      hostEnv: process.env,
      coiDir: ctx.coiDir,
      prefix: ctx.prefix,
      startTool: false,
      ephemeral: true,
      attended: true,
    });
    if (signals.caught) return signals.exitCode();
    const live = session;
    const start = () =>
      ctx.incus.exec.start(live.container, ['bash', '-lc', command], {
        user: live.codeUid,
        group: live.codeUid,
        account: { name: live.codeUser, home: live.home, shell: '/bin/bash' },
        cwd: '/workspace',
        environment: live.env,
      });
    let forwarded = 0;
    for (let attempt = 1; ; attempt++) {
      proc = await start();
      const code = await streamCommand(proc, (bytes) => (forwarded += bytes));
      // -1 is no exit code: the daemon could not attach the command, so it never ran. Once
      // stdin was consumed a second try would not see the same input.
      if (code !== -1 || attempt === START_ATTEMPTS || forwarded > 0) {
        // The command is done with its input; an open pipe must not keep coi alive.
        process.stdin.destroy();
        if (code === -1) {
          throw new CliError(`the command could not be started in ${live.container}; try again`);
        }
        return code;
      }
    }
  } finally {
    if (session) {
      await endSession(ctx.incus, session.container, {
        coiDir: ctx.coiDir,
        save: false,
        keepPersistent: false,
      });
    }
    signals.release();
  }
}

/** Wires the command to this terminal's streams and resolves with its exit code. */
async function streamCommand(proc: ExecProcess, onInput: (bytes: number) => void): Promise<number> {
  const count = (chunk: Buffer) => onInput(chunk.length);
  proc.stdout.pipe(process.stdout, { end: false });
  proc.stderr.pipe(process.stderr, { end: false });
  if (process.stdin.isTTY) proc.stdin.end();
  else {
    process.stdin.pipe(proc.stdin);
    process.stdin.on('data', count);
  }
  try {
    const [code] = await Promise.all([proc.wait(), finished(proc.stdout), finished(proc.stderr)]);
    return code;
  } finally {
    process.stdin.unpipe(proc.stdin);
    process.stdin.off('data', count);
  }
}
