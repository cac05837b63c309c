import { sessionIdentity } from '../../shared/naming.js';
import { attachTerminal, attachTmux, enteringEnv } from '../../core/session/attach.js';
import { endSession } from '../../core/session/end.js';
import { launchSession } from '../../core/session/launch.js';
import { runningSession } from '../../core/session/reattach.js';
import { withContext, type CliContext } from '../context.js';
import { SignalCatcher } from '../signals.js';
import { usageError } from '../errors.js';
import { aliasTarget } from '../options/alias.js';
import { envMap } from '../options/env.js';
import { keptAfterTmux, say } from '../after-tmux.js';
import { CLEANING_UP, sessionEndedLines, startingSessionLines } from '../session-lines.js';
import { configOverrides, resumeFlag } from '../session-options.js';
import type { ShellFlags } from './shell.js';
import { enterContainer } from './shell-container.js';

/** `coi shell`: reattach, enter --container, or launch a session and attach to it. */
export async function shellAction(
  alias: string | undefined,
  flags: ShellFlags,
  workspaceGiven: boolean,
): Promise<void> {
  if (flags.container !== undefined) refuseWithContainer(alias, flags, workspaceGiven);
  else if (alias !== undefined && workspaceGiven) {
    throw usageError(`give an alias or --workspace, not both ("${alias}" names a workspace)`);
  }
  const target = alias !== undefined && !flags.container ? aliasTarget(alias) : undefined;
  const resume = resumeFlag(flags);
  if (!flags.background && !process.stdin.isTTY) {
    throw usageError('coi shell needs a terminal: use --background, or `coi run` for commands');
  }
  if (flags.container !== undefined) {
    await enterContainer(flags.container, flags);
    return;
  }
  const slot = flags.slot ?? target?.slot;
  const profile = flags.profile ?? target?.entry.profile;
  await withContext(
    {
      workspace: target ? target.entry.workspace : flags.workspace,
      ...(profile ? { profile } : {}),
      defaultProfile: true,
      overrides: configOverrides(flags),
    },
    async (ctx) => {
      const direct = !ctx.loaded.config.shell.use_tmux;
      if (direct && flags.background) {
        throw usageError(
          '--background needs tmux, and [shell] use_tmux is false: attach directly (leave out --background) or set use_tmux = true',
        );
      }
      if (!flags.background && !flags.debug && !resume && !direct) {
        if (await reattach(ctx, slot)) return;
      }
      const signals = new SignalCatcher();
      const session = await launchSession({
        incus: ctx.incus,
        loaded: ctx.loaded,
        workspace: ctx.workspace,
        slot,
        ...(resume ? { resume } : {}),
        cliEnv: envMap(flags.env),
        hostEnv: process.env,
        coiDir: ctx.coiDir,
        prefix: ctx.prefix,
        startTool: !flags.debug,
        direct,
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
      const inTmux = !flags.debug && !direct;
      const mode = inTmux ? (flags.background ? 'background' : 'interactive') : 'direct';
      say(startingSessionLines(session, mode, !!resume));
      if (flags.background) return;
      const attach = { uid: session.codeUid, env: session.env };
      if (inTmux) await attachTmux(ctx.incus, session.container, attach);
      else
        await attachTerminal(
          ctx.incus,
          session.container,
          flags.debug ? ['bash', '-l'] : session.command,
          attach,
        );
      if (inTmux && (await keptAfterTmux(ctx, session.container, session.codeUid))) return;
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
}

/** `--container` enters a container as it is: flags that choose or make one do not apply. */
function refuseWithContainer(
  alias: string | undefined,
  flags: ShellFlags,
  workspaceGiven: boolean,
): void {
  const conflicts = [
    alias !== undefined ? `the alias "${alias}"` : undefined,
    workspaceGiven ? '--workspace' : undefined,
    flags.slot !== undefined ? '--slot' : undefined,
    flags.resume !== undefined || flags.continue !== undefined ? '--resume/--continue' : undefined,
    flags.persistent ? '--persistent' : undefined,
    flags.image !== undefined ? '--image' : undefined,
  ].filter((c) => c !== undefined);
  if (conflicts.length) {
    throw usageError(
      `--container enters an existing container as it is; leave out ${conflicts.join(', ')}`,
    );
  }
}

/**
 * Attaches to the running session of this workspace's slot (slot 1 unless asked) instead of
 * launching another; false when there is none. Its end is the launching side's (or its
 * supervisor's) to handle, so a powered-off session is only reported here.
 */
async function reattach(ctx: CliContext, slot: number | undefined): Promise<boolean> {
  const identity = sessionIdentity(ctx.workspace, ctx.loaded.config.container.session_name);
  const running = await runningSession(ctx.incus, { identity, slot, prefix: ctx.prefix });
  if (!running) return false;
  say([`Reattaching to the running session in ${running.container}...`]);
  await attachTmux(ctx.incus, running.container, {
    uid: running.codeUid,
    env: enteringEnv(running.codeUser),
  });
  if (!(await keptAfterTmux(ctx, running.container, running.codeUid))) {
    say([`The session in ${running.container} ended.`]);
  }
  return true;
}
