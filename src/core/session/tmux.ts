import type { IncusApi } from '../../incus/index.js';
import { tmuxSessionName } from '../../shared/naming.js';
import { shellQuote } from '../../shared/shell-quote.js';
import { codeUserExec } from './code-user-exec.js';

export interface TmuxStart {
  container: string;
  uid: number;
  home: string;
  user: string;
  env: Record<string, string>;
  /** The tool's argv; when it exits the pane drops to bash. */
  command: string[];
}

/**
 * How the pane's shell line starts: host-side readers tell the shell that runs the tool (argv
 * `bash -c <this>…`) from the one left when the tool exited (`exec bash -l`) by it.
 */
export const PANE_TOOL_LINE = 'trap : INT; ';

/**
 * Starts the detached tmux session `coi-<container>` as the code user with its groups (see
 * codeUserExec): tmux → bash → tool, and
 * bash again when the tool exits. The session's environment reaches the new tmux server through
 * the exec's own environment, never its command line (where `ps` would show it).
 */
export async function startTmuxSession(incus: IncusApi, start: TmuxStart): Promise<string> {
  const session = tmuxSessionName(start.container);
  const inner = `${PANE_TOOL_LINE}${start.command.map(shellQuote).join(' ')}; exec bash -l`;
  const argv = [
    'tmux',
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    '200',
    '-y',
    '50',
    '-c',
    '/workspace',
    `bash -c ${shellQuote(inner)}`,
  ];
  const exec = codeUserExec({ uid: start.uid, name: start.user, home: start.home }, argv, {
    cwd: '/workspace',
    environment: start.env,
  });
  const result = await incus.exec.run(start.container, exec.argv, exec.options);
  if (result.exitCode !== 0) {
    throw new Error(
      `could not start tmux session ${session} in ${start.container}: ${result.stderr.toString().trim()}`,
    );
  }
  return session;
}

/**
 * `tmux has-session` as the code user: 0 when the session exists, 1 when it does not, -1 or
 * undefined when nothing can run in the container any more (it is stopping or gone).
 */
export async function probeTmuxSession(
  incus: IncusApi,
  container: string,
  uid: number,
): Promise<number | undefined> {
  const result = await incus.exec
    .run(container, ['tmux', 'has-session', '-t', tmuxSessionName(container)], {
      user: uid,
      group: uid,
    })
    // The exec could not run: the container is stopping or gone, as documented above.
    .catch(() => undefined);
  return result?.exitCode;
}

/**
 * True when the code user's tmux server has the session. tmux answers 0 or 1; anything else (an
 * exec that could not run, e.g. on a loaded host) is asked again rather than taken for "no".
 */
export async function hasTmuxSession(
  incus: IncusApi,
  container: string,
  uid: number,
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    const code = await probeTmuxSession(incus, container, uid);
    if (code === 0 || code === 1 || attempt === 4) return code === 0;
    await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
  }
}
