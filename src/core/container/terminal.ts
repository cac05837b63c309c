import type { InteractiveOptions } from '../../incus/exec-types.js';
import type { IncusApi } from '../../incus/index.js';

export interface TerminalIo {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/**
 * Connects this terminal to a command on a pty inside the container, over Incus's own exec
 * websocket: raw keystrokes in, the screen out, window size followed. Resolves with the exit code.
 */
export async function runOnTerminal(
  incus: IncusApi,
  container: string,
  command: string[],
  opts: Omit<InteractiveOptions, 'width' | 'height'>,
  io: TerminalIo = {},
): Promise<number> {
  const stdin = io.stdin ?? process.stdin;
  const stdout = io.stdout ?? process.stdout;
  const size = () => ({ width: stdout.columns || 80, height: stdout.rows || 24 });
  const exec = await incus.exec.interactive(container, command, { ...size(), ...opts });
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
