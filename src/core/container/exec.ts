import type { Readable, Writable } from 'node:stream';
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

/** `KEY=VALUE` pairs to an environment map. */
export function parseEnvPairs(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(pair.slice(0, eq)))
      throw new ContainerOpError(`--env: expected KEY=VALUE, got ${JSON.stringify(pair)}`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
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

/** Runs a command with its output streamed live; `stdin` (if any) is fed to it. */
export async function execStream(
  incus: IncusApi,
  name: string,
  command: string[],
  io: { stdout: Writable; stderr: Writable; stdin?: Readable },
  opts: ContainerExecOptions = {},
): Promise<number> {
  const proc = await incus.exec.start(name, command, await execOptions(incus, name, opts));
  if (io.stdin) io.stdin.pipe(proc.stdin);
  else proc.stdin.end();
  const drained = Promise.all([pipeTo(proc.stdout, io.stdout), pipeTo(proc.stderr, io.stderr)]);
  try {
    const code = await proc.wait();
    await drained;
    return code;
  } finally {
    io.stdin?.unpipe(proc.stdin);
  }
}

function pipeTo(from: Readable, to: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    from.on('data', (chunk: Buffer) => to.write(chunk));
    from.once('end', resolve);
    from.once('error', reject);
  });
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
