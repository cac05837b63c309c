import type { Command } from 'commander';
import { finished } from 'node:stream/promises';
import { endSession } from '../../core/session/end.js';
import { parseEnvFlags } from '../../core/session/environment.js';
import { launchSession } from '../../core/session/launch.js';
import { withContext } from '../context.js';
import { usageError } from '../errors.js';
import {
  addSessionOptions,
  configOverrides,
  slotFlag,
  type SessionFlags,
} from '../session-options.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

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
      async (ctx) => {
        const session = await launchSession({
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
        });
        const forward = (signal: NodeJS.Signals) =>
          void proc?.signal(SIGNAL_NUMBERS[signal] ?? 15).catch(() => undefined);
        let proc: Awaited<ReturnType<typeof ctx.incus.exec.start>> | undefined;
        for (const s of SIGNALS) process.on(s, forward);
        try {
          proc = await ctx.incus.exec.start(session.container, ['bash', '-lc', words.join(' ')], {
            user: session.codeUid,
            group: session.codeUid,
            cwd: '/workspace',
            environment: session.env,
          });
          proc.stdout.pipe(process.stdout, { end: false });
          proc.stderr.pipe(process.stderr, { end: false });
          if (process.stdin.isTTY) proc.stdin.end();
          else process.stdin.pipe(proc.stdin);
          const [code] = await Promise.all([
            proc.wait(),
            finished(proc.stdout),
            finished(proc.stderr),
          ]);
          process.stdin.unpipe(proc.stdin);
          process.stdin.pause();
          return code;
        } finally {
          for (const s of SIGNALS) process.off(s, forward);
          await endSession(ctx.incus, session.container, {
            coiDir: ctx.coiDir,
            save: false,
            keepPersistent: false,
          });
        }
      },
    );
  });
}
