import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ExecProcess } from '../../incus/exec.js';
import { IncusNotFoundError } from '../../incus/errors.js';
import type { IncusApi } from '../../incus/index.js';
import { ContainerOpError } from './lifecycle.js';
import { runOnTerminal, type TerminalIo } from './terminal.js';

export interface ContainerExecOptions {
  user?: number;
  group?: number;
  env?: Record<string, string>;
  /** Default: /workspace when it exists there, else the daemon's default. */
  cwd?: string;
}

export interface CapturedExec {
  stdout: string;
  stderr: string;
  exit_code: number;
}

async function execOptions(incus: IncusApi, name: string, opts: ContainerExecOptions) {
  const { value } = await incus.instances.get(name).catch((err: unknown) => {
    throw err instanceof IncusNotFoundError
      ? new ContainerOpError(`container "${name}" does not exist`)
      : err;
  });
  if (value.status !== 'Running')
    throw new ContainerOpError(`${name} is ${value.status.toLowerCase()}: start it first`);
  const cwd =
    opts.cwd ??
    ((await incus.files.stat(name, '/workspace'))?.type === 'directory' ? '/workspace' : undefined);
  return {
    ...(opts.user !== undefined ? { user: opts.user } : {}),
    ...(opts.group !== undefined ? { group: opts.group } : {}),
    ...(opts.env ? { environment: opts.env } : {}),
    ...(cwd ? { cwd } : {}),
  };
}

/** Runs a command and returns its output and exit code. */
export async function execCapture(
  incus: IncusApi,
  name: string,
  command: string[],
  opts: ContainerExecOptions = {},
): Promise<CapturedExec> {
  const r = await incus.exec.run(name, command, await execOptions(incus, name, opts));
  return {
    stdout: r.stdout.toString('utf8'),
    stderr: r.stderr.toString('utf8'),
    exit_code: r.exitCode,
  };
}

/**
 * The argv that runs `words` in a login shell (the profile's PATH and environment): one word is a
 * shell command line (`coi run 'make && make test'`), several are an exact argv, each word passed
 * as it is (`coi run -- sh -c 'exit 42'`).
 */
export function loginShellArgv(words: string[]): string[] {
  if (words.length === 1) return ['bash', '-lc', words[0]!];
  return ['bash', '-lc', 'exec "$@"', 'bash', ...words];
}

export interface ExecIo {
  stdout: Writable;
  stderr: Writable;
  /** Fed to the command, then destroyed once it ends (an open pipe would keep coi alive). */
  stdin?: Readable;
  /** Sees each chunk of output too (the session log). */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

const START_ATTEMPTS = 3;

/**
 * Starts a command with `start` and streams it through `io` until it ends; resolves with its exit
 * code. Exit code -1 means the daemon could not attach the command, so it never ran: it is
 * started again, unless it had consumed input already (a second try would not see the same).
 */
export async function streamExec(
  container: string,
  start: () => Promise<ExecProcess>,
  io: ExecIo,
  onStarted: (proc: ExecProcess) => void = () => undefined,
): Promise<number> {
  let consumed = 0;
  try {
    for (let attempt = 1; ; attempt++) {
      const proc = await start();
      onStarted(proc);
      const code = await streamProcess(proc, io, (bytes) => (consumed += bytes));
      if (code !== -1) return code;
      if (attempt === START_ATTEMPTS || consumed > 0)
        throw new ContainerOpError(`the command could not be started in ${container}; try again`);
    }
  } finally {
    io.stdin?.destroy();
  }
}

async function streamProcess(
  proc: ExecProcess,
  io: ExecIo,
  onInput: (bytes: number) => void,
): Promise<number> {
  const count = (chunk: Buffer) => onInput(chunk.length);
  proc.stdout.pipe(io.stdout, { end: false });
  proc.stderr.pipe(io.stderr, { end: false });
  if (io.onOutput) {
    const tee = io.onOutput;
    proc.stdout.on('data', (chunk: Buffer) => tee('stdout', chunk));
    proc.stderr.on('data', (chunk: Buffer) => tee('stderr', chunk));
  }
  if (io.stdin) {
    // Counted after piping: a data listener alone would start the flow with nobody reading it.
    io.stdin.pipe(proc.stdin);
    io.stdin.on('data', count);
  } else proc.stdin.end();
  try {
    const [code] = await Promise.all([proc.wait(), finished(proc.stdout), finished(proc.stderr)]);
    return code;
  } finally {
    io.stdin?.unpipe(proc.stdin);
    io.stdin?.off('data', count);
  }
}

/** Runs a command in a running container with its output streamed live. */
export async function execStream(
  incus: IncusApi,
  name: string,
  command: string[],
  io: ExecIo,
  opts: ContainerExecOptions = {},
): Promise<number> {
  const options = await execOptions(incus, name, opts);
  return streamExec(name, () => incus.exec.start(name, command, options), io);
}

/**
 * Runs a command on a pseudo-terminal connected to this one (shells, tmux, editors); `term` is
 * its TERM unless `env` sets one.
 */
export async function execTerminal(
  incus: IncusApi,
  name: string,
  command: string[],
  opts: ContainerExecOptions & { term?: string } = {},
  io: TerminalIo = {},
): Promise<number> {
  const exec = await execOptions(incus, name, opts);
  return runOnTerminal(incus, name, command, { ...exec, term: opts.term }, io);
}
