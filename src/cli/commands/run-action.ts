import { codeUserExec } from '../../core/session/code-user-exec.js';
import { loginShellArgv, streamExec } from '../../core/container/exec.js';
import type { ExecProcess } from '../../incus/exec.js';
import { SessionLog } from '../../core/logs/session-log.js';
import { coiRunScript } from '../../core/session/coi-run.js';
import { endSession } from '../../core/session/end.js';
import { launchSession, type Session } from '../../core/session/launch.js';
import { headlessCommand } from '../../core/tools/command.js';
import { readPrompt } from '../../core/tools/prompts.js';
import { toolAdapter } from '../../core/tools/registry.js';
import { codeHome } from '../../shared/instance-keys.js';
import { withContext, type CliContext } from '../context.js';
import { SignalCatcher } from '../signals.js';
import { envMap } from '../options/env.js';
import { configOverrides } from '../session-options.js';
import type { RunFlags } from './run.js';
import { runTarget, type RunTarget } from './run-target.js';
import { shellQuote } from '../../shared/shell-quote.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

/** `coi run`'s exit code when the security monitor killed its container, as for a SIGKILL. */
export const THREAT_KILL_EXIT_CODE = 137;

/** `coi run`: decides what to run before any container is made, then runs it in one. */
export async function runAction(words: string[], flags: RunFlags): Promise<void> {
  const target = runTarget(words, flags);
  process.exitCode = await withContext(
    {
      workspace: flags.workspace,
      profile: flags.profile,
      defaultProfile: true,
      overrides: configOverrides(flags),
    },
    async (ctx) => runInContainer(ctx, await execution(ctx, target), flags),
  );
}

/** The argv to run as the code user in /workspace, what to say first, and what it needs. */
interface Execution {
  argv: string[];
  announce: string;
  /** The agent runs: its context and settings files are written first. */
  agent: boolean;
}

/** Decided before any container is made: a bad prompt or ./coi-run costs nothing. */
async function execution(ctx: CliContext, target: RunTarget): Promise<Execution> {
  if (target.kind === 'command') {
    return {
      argv: loginShellArgv(target.words),
      announce: `Executing: ${target.words.join(' ')}`,
      agent: false,
    };
  }
  if (target.kind === 'script') {
    const script = await coiRunScript(ctx.workspace);
    return {
      argv: loginShellArgv([shellQuote(script)]),
      announce: `Executing: ${script}`,
      agent: false,
    };
  }
  const { config } = ctx.loaded;
  const prompt = await readPrompt(target.source, config, ctx.coiDir);
  const tool = toolAdapter(config.tool.name, config.tool.binary);
  const argv = headlessCommand(config, { tool, home: codeHome(config.incus.code_user) }, prompt);
  return {
    argv: loginShellArgv(argv),
    announce: `Running ${tool.adapter.name} headless`,
    agent: true,
  };
}

/**
 * Launches (or starts the stopped persistent container again), runs, then deletes the container,
 * or stops it when it is persistent. A signal while the container is being made is remembered
 * (the launch finishes, the command is skipped, the container ended); during the command it is
 * passed on to it. Either way the exit code is the command's, or 128+N for signal N; 137 with one
 * line naming the alert when the security monitor killed the container.
 */
async function runInContainer(ctx: CliContext, run: Execution, flags: RunFlags): Promise<number> {
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
      toolFiles: run.agent,
      onStep: say,
      attended: true,
    });
    // The container is ended whatever the command did; a threat kill explains a failed exec.
    const ran = signals.caught
      ? { code: signals.exitCode() }
      : await runCommand(ctx, session, run, (started) => (proc = started)).then(
          (code) => ({ code }),
          (error: unknown) => ({ error }),
        );
    say(
      session.persistent
        ? `Stopping persistent container ${session.container} (kept for the next run)...`
        : `Cleaning up container ${session.container}...`,
    );
    const ended = await endSession(ctx.incus, session.container, {
      coiDir: ctx.coiDir,
      save: false,
      keepPersistent: true,
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
  run: Execution,
  onStarted: (proc: ExecProcess) => void,
): Promise<number> {
  const log = new SessionLog(ctx.coiDir, live.container);
  say(run.announce);
  const code = await streamExec(
    live.container,
    () => {
      const user = { uid: live.codeUid, name: live.codeUser, home: live.home };
      const exec = codeUserExec(user, run.argv, { cwd: '/workspace', environment: live.env });
      return ctx.incus.exec.start(live.container, exec.argv, exec.options);
    },
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
