import type { Incus } from '../../incus/index.js';

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
  incus: Incus,
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
