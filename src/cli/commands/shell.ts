import type { Command } from 'commander';
import { tmuxSessionName } from '../../shared/naming.js';
import { afterAttach, attachTerminal } from '../../core/session/attach.js';
import { endSession } from '../../core/session/end.js';
import { parseEnvFlags } from '../../core/session/environment.js';
import { launchSession } from '../../core/session/launch.js';
import { withContext } from '../context.js';
import { SignalCatcher } from '../signals.js';
import { usageError } from '../errors.js';
import {
  addSessionOptions,
  configOverrides,
  resumeFlag,
  slotFlag,
  type SessionFlags,
} from '../session-options.js';

interface ShellFlags extends SessionFlags {
  background?: boolean;
  debug?: boolean;
}

export function registerShell(program: Command): void {
  addSessionOptions(
    program
      .command('shell', { isDefault: true })
      .description(
        'start an agent in its own container and attach to its tmux session (the default command)',
      ),
  )
    .option('--background', 'start the session detached (attach later with `coi attach`)')
    .option('--debug', 'open bash instead of the agent')
    .action(async (flags: ShellFlags) => {
      if (!flags.background && !process.stdin.isTTY) {
        throw usageError('coi shell needs a terminal: use --background, or `coi run` for commands');
      }
      const resume = resumeFlag(flags);
      await withContext(
        { workspace: flags.workspace, profile: flags.profile, overrides: configOverrides(flags) },
        async (ctx) => {
          const signals = new SignalCatcher();
          const session = await launchSession({
            incus: ctx.incus,
            loaded: ctx.loaded,
            workspace: ctx.workspace,
            slot: slotFlag(flags),
            ...(resume ? { resume } : {}),
            cliEnv: parseEnvFlags(flags.env),
            hostEnv: process.env,
            coiDir: ctx.coiDir,
            prefix: ctx.prefix,
            startTool: !flags.debug,
            attended: !flags.background,
            onStep: (m) => process.stderr.write(`${m}…\n`),
          }).finally(() => signals.release());
          if (signals.caught) {
            await endSession(ctx.incus, session.container, {
              coiDir: ctx.coiDir,
              save: false,
              keepPersistent: true,
            });
            process.exitCode = signals.exitCode();
            return;
          }
          process.stderr.write(
            `Session ${session.sessionId} in ${session.container} (slot ${session.slot}, ${session.persistent ? 'persistent' : 'ephemeral'})\n`,
          );
          if (flags.background) return;
          const command = flags.debug
            ? ['bash', '-l']
            : ['tmux', 'attach', '-t', tmuxSessionName(session.container)];
          await attachTerminal(ctx.incus, session.container, command, {
            uid: session.codeUid,
            env: session.env,
          });
          if (!flags.debug) {
            const after = await afterAttach(ctx.incus, session.container, session.codeUid);
            if (after === 'detached') {
              process.stderr.write(
                `Detached. Reattach with \`coi attach ${session.container}\`.\n`,
              );
              return;
            }
            if (after === 'tmux-ended') {
              process.stderr.write(
                `The session's tmux ended; ${session.container} keeps running: \`coi attach ${session.container} --bash\` to enter it, \`coi shutdown ${session.container}\` to end it.\n`,
              );
              return;
            }
          }
          const ended = await endSession(ctx.incus, session.container, {
            coiDir: ctx.coiDir,
            save: true,
            graceSeconds: ctx.loaded.config.container.shutdown_timeout,
            keepPersistent: true,
          });
          if (ended.saved) process.stderr.write(`Session saved to ${ended.saved.dir}\n`);
          process.stderr.write(
            ended.deleted
              ? `Container ${session.container} deleted.\n`
              : `Container ${session.container} kept (persistent).\n`,
          );
        },
      );
    });
}
