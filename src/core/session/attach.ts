import type { IncusApi } from '../../incus/index.js';
import { probeTmuxSession } from './tmux.js';

export interface AttachOptions {
  uid: number;
  env: Record<string, string>;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/**
 * Connects this terminal to a command on a pty inside the container, over Incus's own exec
 * websocket: raw keystrokes in, the screen out, window size followed. Resolves with the exit code.
 */
export async function attachTerminal(
  incus: IncusApi,
  container: string,
  command: string[],
  opts: AttachOptions,
): Promise<number> {
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  const size = () => ({ width: stdout.columns || 80, height: stdout.rows || 24 });
  const exec = await incus.exec.interactive(container, command, {
    ...size(),
    user: opts.uid,
    group: opts.uid,
    cwd: '/workspace',
    environment: opts.env,
    term: opts.env.TERM,
  });
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  if (stdin.isTTY) stdin.setRawMode(true);
  const onData = (chunk: Buffer) => exec.input.write(chunk);
  // A resize racing the end of the session fails harmlessly; the next one is sent anyway.
  const onResize = () => void exec.resize(size().width, size().height).catch(() => undefined);
  stdin.on('data', onData);
  stdin.resume();
  stdout.on('resize', onResize);
  exec.output.pipe(stdout, { end: false });
  try {
    return await exec.wait();
  } finally {
    exec.output.unpipe(stdout);
    stdin.off('data', onData);
    stdout.off('resize', onResize);
    if (stdin.isTTY) stdin.setRawMode(wasRaw);
    stdin.pause();
  }
}

export type AfterAttach = 'detached' | 'tmux-ended' | 'stopped';

/**
 * What became of a session once its terminal returned: the user detached (tmux still runs), the
 * tmux session ended with the container still up, or the container powered off (`sudo poweroff`).
 * A container on its way down can still be listed as Running for a moment, so "up" means a
 * command can still run in it.
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
    if (value.status === 'Running') return 'tmux-ended';
  }
  await waitUntilStopped(incus, container, 30_000);
  return 'stopped';
}

async function waitUntilStopped(incus: IncusApi, container: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { value } = await incus.instances.get(container);
    if (value.status === 'Stopped') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
