import type { IncusApi } from '../../incus/index.js';
import { listCoiContainers } from '../container/list.js';
import { tmuxSessionName } from '../../shared/naming.js';
import { readCoiKeys } from '../../shared/instance-keys.js';

export class TmuxControlError extends Error {
  readonly exitCode = 1;
}

export interface TmuxSessionInfo {
  container: string;
  session: string;
  attached: boolean;
  windows: number;
  created: string;
}

/** The code user's uid in a container (`user.coi.code_user`, default `code`; 1000 if unknown). */
async function codeUid(incus: IncusApi, container: string): Promise<number> {
  const { value } = await incus.instances.get(container).catch(() => {
    throw new TmuxControlError(`container "${container}" does not exist`);
  });
  if (value.status !== 'Running')
    throw new TmuxControlError(`${container} is ${value.status.toLowerCase()}, not running`);
  const user = readCoiKeys(value.config).codeUser;
  const r = await incus.exec.run(container, ['id', '-u', user]);
  const uid = Number(r.stdout.toString().trim());
  return r.exitCode === 0 && Number.isInteger(uid) ? uid : 1000;
}

async function tmux(incus: IncusApi, container: string, uid: number, args: string[]) {
  return incus.exec.run(container, ['tmux', ...args], { user: uid, group: uid });
}

async function requireSession(
  incus: IncusApi,
  container: string,
): Promise<{ uid: number; session: string }> {
  const uid = await codeUid(incus, container);
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
  incus: IncusApi,
  prefix: string,
): Promise<TmuxSessionInfo[]> {
  const running = (await listCoiContainers(incus, prefix)).filter((c) => c.status === 'Running');
  const found = await Promise.all(
    running.map(async (c): Promise<TmuxSessionInfo | undefined> => {
      const uid = await codeUid(incus, c.name);
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
  incus: IncusApi,
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
export async function captureSession(incus: IncusApi, container: string): Promise<string> {
  const { uid, session } = await requireSession(incus, container);
  const r = await tmux(incus, container, uid, ['capture-pane', '-p', '-t', session]);
  if (r.exitCode !== 0)
    throw new TmuxControlError(`tmux capture-pane failed: ${r.stderr.toString().trim()}`);
  return r.stdout.toString('utf8');
}
