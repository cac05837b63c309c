import { IncusNotFoundError } from '../../incus/errors.js';
import type { IncusApi } from '../../incus/index.js';
import { codeUidOf } from '../container/code-uid.js';
import { listCoiContainers } from '../container/list.js';
import { tmuxSessionName } from '../../shared/naming.js';
import { readCoiKeys } from '../../shared/instance-keys.js';
import { CoiError } from '../../shared/errors.js';

/** What talking to a container's tmux uses of Incus. */
export interface TmuxControlIncus {
  instances: Pick<IncusApi['instances'], 'get' | 'listFull'>;
  exec: Pick<IncusApi['exec'], 'run'>;
}

export class TmuxControlError extends CoiError {}

export interface TmuxSessionInfo {
  container: string;
  session: string;
  attached: boolean;
  windows: number;
  created: string;
}

/** The code user's uid in a running container, or why there is none to talk to. */
async function runningCodeUid(incus: TmuxControlIncus, container: string): Promise<number> {
  const { value } = await incus.instances.get(container).catch((err: unknown) => {
    if (err instanceof IncusNotFoundError)
      throw new TmuxControlError(`container "${container}" does not exist`);
    throw err;
  });
  if (value.status !== 'Running')
    throw new TmuxControlError(`${container} is ${value.status.toLowerCase()}, not running`);
  return codeUidOf(incus, { name: container, codeUser: readCoiKeys(value.config).codeUser });
}

async function tmux(incus: TmuxControlIncus, container: string, uid: number, args: string[]) {
  return incus.exec.run(container, ['tmux', ...args], { user: uid, group: uid });
}

async function requireSession(
  incus: TmuxControlIncus,
  container: string,
): Promise<{ uid: number; session: string }> {
  const uid = await runningCodeUid(incus, container);
  const session = tmuxSessionName(container);
  const has = await tmux(incus, container, uid, ['has-session', '-t', `=${session}`]);
  if (has.exitCode !== 0) {
    throw new TmuxControlError(
      `${container} has no tmux session ${session} (start one with \`coi shell\`; \`coi tmux list\` shows the sessions)`,
    );
  }
  return { uid, session };
}

/** The `coi-<container>` sessions of the running coi containers. */
export async function listTmuxSessions(
  incus: TmuxControlIncus,
  prefix: string,
): Promise<TmuxSessionInfo[]> {
  const running = (await listCoiContainers(incus, prefix)).filter((c) => c.status === 'Running');
  const found = await Promise.all(
    running.map(async (c): Promise<TmuxSessionInfo | undefined> => {
      const uid = await codeUidOf(incus, c);
      const session = tmuxSessionName(c.name);
      const r = await tmux(incus, c.name, uid, [
        'list-sessions',
        '-F',
        '#{session_name}\t#{session_attached}\t#{session_windows}\t#{session_created}',
      ]);
      const line = r.stdout
        .toString()
        .split('\n')
        .map((l) => l.split('\t'))
        .find((f) => f[0] === session);
      if (!line) return undefined;
      return {
        container: c.name,
        session,
        attached: Number(line[1]) > 0,
        windows: Number(line[2]),
        created: new Date(Number(line[3]) * 1000).toISOString(),
      };
    }),
  );
  return found.filter((s): s is TmuxSessionInfo => s !== undefined);
}

/** Types `text` into the session and presses Enter. */
export async function sendToSession(
  incus: TmuxControlIncus,
  container: string,
  text: string,
): Promise<void> {
  const { uid, session } = await requireSession(incus, container);
  const typed = await tmux(incus, container, uid, ['send-keys', '-t', session, '-l', text]);
  const enter = await tmux(incus, container, uid, ['send-keys', '-t', session, 'Enter']);
  const failed = [typed, enter].find((r) => r.exitCode !== 0);
  if (failed)
    throw new TmuxControlError(`tmux send-keys failed: ${failed.stderr.toString().trim()}`);
}

/** What the session's active pane shows now. */
export async function captureSession(incus: TmuxControlIncus, container: string): Promise<string> {
  const { uid, session } = await requireSession(incus, container);
  const r = await tmux(incus, container, uid, ['capture-pane', '-p', '-t', session]);
  if (r.exitCode !== 0)
    throw new TmuxControlError(`tmux capture-pane failed: ${r.stderr.toString().trim()}`);
  return r.stdout.toString('utf8');
}
