import type { Command } from 'commander';
import { tmuxSessionName } from '../../shared/naming.js';
import { withContext } from '../context.js';
import { usageError } from '../errors.js';
import { isKnownAlias, unknownAlias } from '../options/alias.js';
import { envMap } from '../options/env.js';
import {
  addSessionOptions,
  configOverrides,
  resumeFlag,
  type SessionFlags,
} from '../session-options.js';

interface ShellFlags extends SessionFlags {
  background?: boolean;
  debug?: boolean;
}

const say = (lines: string[]) => process.stderr.write(`${lines.join('\n')}\n`);

export function registerShell(program: Command): void {
  addSessionOptions(
    program
      .command('shell', { isDefault: true })
      .description(
        'start an agent in its own container and attach to its tmux session (the default command)',
      )
      .argument('[alias]', 'a container alias'),
  )
    .option('--background', 'start the session detached (attach later with `coi attach`)')
    .option('--debug', 'open bash instead of the agent')
    .action(async (alias: string | undefined, flags: ShellFlags) => {
      if (alias !== undefined && !isKnownAlias(alias)) throw unknownAlias(alias);
      const resume = resumeFlag(flags);
      if (!flags.background && !process.stdin.isTTY) {
        throw usageError('coi shell needs a terminal: use --background, or `coi run` for commands');
      }
      await withContext(
        { workspace: flags.workspace, profile: flags.profile, overrides: configOverrides(flags) },
        async (ctx) => {
          const [
            { afterAttach, attachTerminal },
            { endSession },
            { launchSession },
            { SignalCatcher },
            { CLEANING_UP, KEPT_RUNNING, sessionEndedLines, startingSessionLines },
          ] = await Promise.all([
            import('../../core/session/attach.js'),
            import('../../core/session/end.js'),
            import('../../core/session/launch.js'),
            import('../signals.js'),
            import('../session-lines.js'),
          ]);
          const signals = new SignalCatcher();
          const session = await launchSession({
            incus: ctx.incus,
            loaded: ctx.loaded,
            workspace: ctx.workspace,
            slot: flags.slot,
            ...(resume ? { resume } : {}),
            cliEnv: envMap(flags.env),
            hostEnv: process.env,
            coiDir: ctx.coiDir,
            prefix: ctx.prefix,
            startTool: !flags.debug,
            attended: !flags.background,
            onStep: (m) => say([m]),
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
          const mode = flags.debug ? 'direct' : flags.background ? 'background' : 'interactive';
          say(startingSessionLines(session, mode, !!resume));
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
              say([
                CLEANING_UP,
                KEPT_RUNNING,
                `Detached. Reattach with \`coi attach ${session.container}\`.`,
              ]);
              return;
            }
            if (after === 'tmux-ended') {
              say([
                CLEANING_UP,
                KEPT_RUNNING,
                `The session's tmux ended; ${session.container} keeps running: \`coi attach ${session.container} --bash\` to enter it, \`coi shutdown ${session.container}\` to end it.`,
              ]);
              return;
            }
          }
          say([CLEANING_UP]);
          const ended = await endSession(ctx.incus, session.container, {
            coiDir: ctx.coiDir,
            save: true,
            graceSeconds: ctx.loaded.config.container.shutdown_timeout,
            keepPersistent: true,
          });
          say(sessionEndedLines(session.container, ended));
        },
      );
    });
}
