import type { IncusApi } from '../../incus/index.js';
import { codeHome } from '../../shared/instance-keys.js';
import { runOnTerminal, type TerminalIo } from '../container/terminal.js';
import { codeUserExec } from './code-user-exec.js';
import { sanitizeTerm } from './environment.js';
import { probeTmuxSession } from './tmux.js';
import { tmuxSessionName } from '../../shared/naming.js';

/** A `tmux attach` that failed this fast while its session is there is tried again. */
const FAILED_ATTACH_MS = 3000;
const ATTACH_TRIES = 3;

export interface AttachOptions extends TerminalIo {
  uid: number;
  env: Record<string, string>;
}

/** Attaches this terminal to a command run as `uid` in the session's workspace. */
export function attachTerminal(
  incus: IncusApi,
  container: string,
  command: string[],
  opts: AttachOptions,
): Promise<number> {
  return runOnTerminal(
    incus,
    container,
    command,
    {
      user: opts.uid,
      group: opts.uid,
      cwd: '/workspace',
      environment: opts.env,
      term: opts.env.TERM,
    },
    opts,
  );
}

/**
 * Attaches this terminal to the session's tmux. Seen once in a loaded full run: `tmux attach`
 * ended at once with its message lost while the session ran, and the user read "Detached". A
 * fast failure with the session there is tried again, so only a real detach ends the attach.
 */
export async function attachTmux(
  incus: IncusApi,
  container: string,
  opts: AttachOptions,
): Promise<number> {
  const command = ['tmux', 'attach', '-t', tmuxSessionName(container)];
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    const code = await attachTerminal(incus, container, command, opts);
    const fastFailure = code !== 0 && Date.now() - started < FAILED_ATTACH_MS;
    if (!fastFailure || attempt === ATTACH_TRIES) return code;
    if ((await probeTmuxSession(incus, container, opts.uid)) !== 0) return code;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A login shell as the code user, with its groups (`docker`, …: see codeUserExec). */
export function attachLoginShell(
  incus: IncusApi,
  container: string,
  codeUser: string,
  opts: AttachOptions,
): Promise<number> {
  const exec = codeUserExec(
    { uid: opts.uid, name: codeUser, home: codeHome(codeUser) },
    ['bash', '-l'],
    { cwd: '/workspace', environment: opts.env },
  );
  return runOnTerminal(incus, container, exec.argv, { ...exec.options, term: opts.env.TERM }, opts);
}

/** The environment of a terminal entering a running container as its code user. */
export function enteringEnv(codeUser: string, term = process.env.TERM): Record<string, string> {
  return { TERM: sanitizeTerm(term), HOME: codeHome(codeUser), USER: codeUser };
}

export type AfterAttach = 'detached' | 'tmux-ended' | 'stopped';

/**
 * What became of a session once its terminal returned: the user detached (tmux still runs), the
 * tmux session ended with the container still up, or the container powered off (`sudo poweroff`).
 * A container on its way down can still be listed as Running for a moment, so "up" means a
 * command can still run in it and systemd is not stopping it.
 */
export async function afterAttach(
  incus: IncusApi,
  container: string,
  uid: number,
): Promise<AfterAttach> {
  const probe = await probeTmuxSession(incus, container, uid);
  if (probe === 0) return 'detached';
  if (probe !== undefined && probe !== -1) {
    const { value } = await incus.instances.get(container);
    if (value.status === 'Running' && !(await shuttingDown(incus, container))) return 'tmux-ended';
  }
  await waitUntilStopped(incus, container, 30_000);
  return 'stopped';
}

/**
 * Whether systemd inside is powering the container off: the shutdown can end the tmux server
 * while commands still run in it.
 */
async function shuttingDown(incus: IncusApi, container: string): Promise<boolean> {
  const result = await incus.exec
    .run(container, ['systemctl', 'is-system-running'])
    .catch(() => undefined);
  if (result === undefined || result.exitCode === -1) return true;
  return result.stdout.toString().trim() === 'stopping';
}

async function waitUntilStopped(incus: IncusApi, container: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { value } = await incus.instances.get(container);
    if (value.status === 'Stopped') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
